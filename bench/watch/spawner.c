/* Starts /bin/true COUNT times with arguments TAG and its index, at RATE per second (0: as fast as it can),
 * keeping at most 8 children alive; prints the number started and the seconds it took. */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>

extern char **environ;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: spawner COUNT RATE TAG\n"); return 2; }
    long count = atol(argv[1]);
    double rate = atof(argv[2]);
    char index[32];
    char *args[] = { "/bin/true", argv[3], index, NULL };
    int alive = 0;
    double start = now();
    for (long i = 0; i < count; i++) {
        if (rate > 0) {
            double due = start + i / rate, wait = due - now();
            if (wait > 0) { struct timespec t = { (time_t)wait, (long)((wait - (time_t)wait) * 1e9) }; nanosleep(&t, NULL); }
        }
        if (alive >= 8) { wait(NULL); alive--; }
        snprintf(index, sizeof index, "%ld", i);
        pid_t pid;
        if (posix_spawn(&pid, "/bin/true", NULL, NULL, args, environ) != 0) { perror("posix_spawn"); return 1; }
        alive++;
    }
    while (alive-- > 0) wait(NULL);
    printf("%ld %.3f\n", count, now() - start);
    return 0;
}
