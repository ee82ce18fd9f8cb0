/* Makes exactly N getppid calls at a set rate, once told to start, for counting what tracing sessions
 * receive and report lost. Usage: getppid-burst N RATE (RATE 0: as fast as it can). Prints its pid,
 * waits for a line on stdin, makes the calls, then prints "CALLS SECONDS". */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s N RATE\n", argv[0]);
        return 2;
    }
    long n = atol(argv[1]);
    double rate = atof(argv[2]);
    printf("%d\n", (int)getpid());
    fflush(stdout);
    char line[16];
    if (!fgets(line, sizeof line, stdin))
        return 1;
    double start = now();
    long done = 0;
    while (done < n) {
        long due = rate > 0 ? (long)((now() - start) * rate) + 1 : n;
        if (due > n)
            due = n;
        if (done >= due) {
            struct timespec slice = { 0, 200000 };
            nanosleep(&slice, NULL);
            continue;
        }
        for (; done < due; done++)
            syscall(SYS_getppid); /* the syscall itself: a libc wrapper might cache */
    }
    printf("%ld %.3f\n", done, now() - start);
    return 0;
}
