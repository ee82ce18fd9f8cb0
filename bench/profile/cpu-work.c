/* A fixed amount of CPU work for the profiling-overhead bench: nested calls (so each sample has a stack of several
   frames to walk), no system calls inside the timed loop. The argument is the number of rounds. */
#include <stdio.h>
#include <stdlib.h>

static volatile unsigned long sink;

__attribute__((noinline)) static unsigned long leaf(unsigned long x)
{
	for (int i = 0; i < 1000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	return x;
}

__attribute__((noinline)) static unsigned long middle(unsigned long x)
{
	return leaf(x) ^ leaf(x + 1);
}

__attribute__((noinline)) static unsigned long outer(unsigned long x)
{
	return middle(x) + middle(x * 3);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 100000;
	unsigned long x = 1;
	for (long r = 0; r < rounds; r++)
		x = outer(x + r);
	sink = x;
	return 0;
}
