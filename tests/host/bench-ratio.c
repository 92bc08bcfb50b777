// SPDX-License-Identifier: GPL-2.0
/*
 * bench-ratio: the median ratio of paired measurements, with a bootstrap
 * 95 % confidence interval.
 *
 *	bench-ratio < PAIRS
 *
 * PAIRS has one "A B" a line: two measurements taken together (the same
 * boot's two policies, or a boot of each kernel in turn).  Prints
 * "MEDIAN LOW HIGH N" for B / A: the median of the pairs' ratios, and
 * the 2.5th and 97.5th percentiles of the medians of 10000 resamples of
 * the pairs (with replacement; a fixed seed, so the same input gives the
 * same interval).  Fewer than 5 pairs, or a measurement that is not a
 * positive number, is an error: no interval is printed for too little.
 */
#include <stdio.h>
#include <stdlib.h>

#define MAX_PAIRS	4096
#define RESAMPLES	10000

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* xorshift64*: the same resamples on every machine. */
static unsigned long long next_random(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

int main(void)
{
	static double ratio[MAX_PAIRS], sample[MAX_PAIRS], medians[RESAMPLES];
	unsigned long long seed = 0x9e3779b97f4a7c15ULL;
	double a, b, m;
	int n = 0, got;

	while ((got = scanf("%lf %lf", &a, &b)) == 2) {
		if (a <= 0 || b <= 0 || n == MAX_PAIRS) {
			fprintf(stderr, "bench-ratio: error: pair %d: \"%g %g\" is not two positive times\n",
				n + 1, a, b);
			return 2;
		}
		ratio[n++] = b / a;
	}
	if (got != EOF || n < 5) {
		fprintf(stderr, "bench-ratio: error: %s (%d pairs; at least 5 are needed)\n",
			got != EOF ? "a line is not two numbers" : "too few pairs", n);
		return 2;
	}
	for (int r = 0; r < RESAMPLES; r++) {
		for (int i = 0; i < n; i++)
			sample[i] = ratio[next_random(&seed) % n];
		medians[r] = median(sample, n);
	}
	qsort(medians, RESAMPLES, sizeof(medians[0]), by_value);
	m = median(ratio, n);
	printf("%.4f %.4f %.4f %d\n", m, medians[RESAMPLES * 25 / 1000],
	       medians[RESAMPLES * 975 / 1000 - 1], n);
	return 0;
}
