/* Makes syscalls:sys_enter_getppid events at a steady rate, for measuring how many events per second
 * a live reader keeps up with. Usage: syscall-load RATE SECONDS; prints how many calls it made.
 * Calls are issued in 1 ms slices (RATE/1000 per slice); if the machine cannot keep up, it says so. */
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
        fprintf(stderr, "usage: %s RATE SECONDS\n", argv[0]);
        return 2;
    }
    double rate = atof(argv[1]), seconds = atof(argv[2]);
    double start = now(), end = start + seconds;
    long done = 0;
    for (double t = now(); t < end; t = now()) {
        long due = (long)((t - start) * rate);
        if (done >= due) {
            struct timespec slice = { 0, 1000000 };
            nanosleep(&slice, NULL);
            continue;
        }
        /* Behind: catch up, looking at the clock every 1000 calls so the run ends on time. */
        for (long i = 0; i < 1000 && done < due; i++, done++)
            syscall(SYS_getppid); /* not a libc wrapper, which might cache */
    }
    double took = now() - start;
    printf("%ld %.3f\n", done, took);
    return 0;
}
