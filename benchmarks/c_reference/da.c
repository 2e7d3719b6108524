/* A plain C reference for applicant-proposing deferred acceptance with quotas.
 *
 * Used by benchmarks/match_engine.py, which compiles it with the system C compiler (cc -O2) and
 * checks that its matching is identical to medmatch's. Reads the flat text instance written by
 * benchmarks/_nrmp_market.py:
 *
 *   n_applicants n_programs
 *   per program:   capacity length person person ...      (0-based applicant indices, best first)
 *   per applicant: length program program ...              (0-based program indices, best first)
 *
 * and writes one line per applicant: the program index it is matched to, or -1. On standard
 * error it prints "read_seconds R solve_seconds S solve_cpu_seconds C" (the solve: building the
 * program-rank lookup from the lists, then deferred acceptance; reading and writing excluded;
 * C is the processor time of the solve, which other processes on a shared machine disturb less).
 *
 * Algorithm: Gale & Shapley (1962), McVitie & Wilson (1970) sequential form: a free applicant
 * proposes to the next program on their list that also ranked them; a program keeps its best
 * `capacity` proposers in a max-heap of ranks and rejects the worst. The program-rank of each
 * list entry comes from the program lists bucketed by applicant (a counting sort).
 *
 * Build: cc -O2 -o da da.c      Run: ./da instance.txt result.txt
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double cpu_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static char *text, *cursor;

static long next_int(void) {
    while (*cursor == ' ' || *cursor == '\n' || *cursor == '\r' || *cursor == '\t') cursor++;
    int negative = 0;
    if (*cursor == '-') { negative = 1; cursor++; }
    if (*cursor < '0' || *cursor > '9') { fprintf(stderr, "da: malformed input\n"); exit(2); }
    long value = 0;
    while (*cursor >= '0' && *cursor <= '9') value = value * 10 + (*cursor++ - '0');
    return negative ? -value : value;
}

static void *checked(void *pointer) {
    if (!pointer) { fprintf(stderr, "da: out of memory\n"); exit(2); }
    return pointer;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: da INSTANCE RESULT\n"); return 2; }
    double began = now();
    FILE *in = fopen(argv[1], "rb");
    if (!in) { perror(argv[1]); return 2; }
    fseek(in, 0, SEEK_END);
    long size = ftell(in);
    fseek(in, 0, SEEK_SET);
    text = checked(malloc(size + 1));
    if (fread(text, 1, size, in) != (size_t)size) { perror("read"); return 2; }
    text[size] = 0;
    fclose(in);
    cursor = text;

    long n = next_int(), m = next_int();
    int *capacity = checked(malloc(m * sizeof(int)));
    long *pstart = checked(malloc((m + 1) * sizeof(long)));
    long pcap = 1 << 20, ptotal = 0;
    int *persons = checked(malloc(pcap * sizeof(int)));
    for (long p = 0; p < m; p++) {
        capacity[p] = (int)next_int();
        long length = next_int();
        pstart[p] = ptotal;
        if (ptotal + length > pcap) {
            while (ptotal + length > pcap) pcap *= 2;
            persons = checked(realloc(persons, pcap * sizeof(int)));
        }
        for (long i = 0; i < length; i++) persons[ptotal++] = (int)next_int();
    }
    pstart[m] = ptotal;
    long *astart = checked(malloc((n + 1) * sizeof(long)));
    long acap = 1 << 20, atotal = 0;
    int *choices = checked(malloc(acap * sizeof(int)));
    for (long a = 0; a < n; a++) {
        long length = next_int();
        astart[a] = atotal;
        if (atotal + length > acap) {
            while (atotal + length > acap) acap *= 2;
            choices = checked(realloc(choices, acap * sizeof(int)));
        }
        for (long i = 0; i < length; i++) choices[atotal++] = (int)next_int();
    }
    astart[n] = atotal;
    double read = now(), read_cpu = cpu_now();

    /* (1) rank lookup: bucket the program lists by applicant (counting sort), then for each
     * applicant mark its programs' ranks of it in a scratch array indexed by program, read the
     * rank of each entry of its own list, and clear the marks. */
    long *bstart = checked(calloc(n + 2, sizeof(long)));
    for (long i = 0; i < ptotal; i++) bstart[persons[i] + 2]++;
    for (long a = 0; a < n; a++) bstart[a + 2] += bstart[a + 1];
    int *bprogram = checked(malloc((ptotal + 1) * sizeof(int)));
    int *brank = checked(malloc((ptotal + 1) * sizeof(int)));
    for (long p = 0; p < m; p++) {
        for (long i = pstart[p]; i < pstart[p + 1]; i++) {
            long slot = bstart[persons[i] + 1]++;
            bprogram[slot] = (int)p;
            brank[slot] = (int)(i - pstart[p]);
        }
    }
    int *mark = checked(malloc(m * sizeof(int)));
    for (long p = 0; p < m; p++) mark[p] = -1;
    int *rank = checked(malloc((atotal + 1) * sizeof(int)));
    for (long a = 0; a < n; a++) {
        for (long j = bstart[a]; j < bstart[a + 1]; j++) mark[bprogram[j]] = brank[j];
        for (long i = astart[a]; i < astart[a + 1]; i++) rank[i] = mark[choices[i]];
        for (long j = bstart[a]; j < bstart[a + 1]; j++) mark[bprogram[j]] = -1;
    }

    /* (2) deferred acceptance: per program a max-heap of (rank, applicant). */
    long *hstart = checked(malloc((m + 1) * sizeof(long)));
    long seats = 0;
    for (long p = 0; p < m; p++) { hstart[p] = seats; seats += capacity[p]; }
    hstart[m] = seats;
    int *heap_rank = checked(malloc((seats + 1) * sizeof(int)));
    int *heap_who = checked(malloc((seats + 1) * sizeof(int)));
    int *held = checked(calloc(m, sizeof(int)));
    long *next = checked(malloc(n * sizeof(long)));
    int *match = checked(malloc(n * sizeof(int)));
    int *stack = checked(malloc(n * sizeof(int)));
    long top = 0;
    for (long a = n - 1; a >= 0; a--) { next[a] = astart[a]; match[a] = -1; stack[top++] = (int)a; }
    while (top > 0) {
        int a = stack[--top];
        while (next[a] < astart[a + 1]) {
            long i = next[a]++;
            int r = rank[i];
            if (r < 0) continue;
            int p = choices[i];
            int cap = capacity[p];
            if (cap == 0) continue;
            int *hr = heap_rank + hstart[p], *hw = heap_who + hstart[p];
            int count = held[p];
            if (count < cap) { /* sift up */
                int j = count;
                while (j > 0) {
                    int parent = (j - 1) / 2;
                    if (hr[parent] >= r) break;
                    hr[j] = hr[parent]; hw[j] = hw[parent]; j = parent;
                }
                hr[j] = r; hw[j] = a;
                held[p] = count + 1;
                match[a] = p;
                break;
            }
            if (r > hr[0]) continue; /* worse than the worst held: rejected */
            int out = hw[0];
            int j = 0; /* replace the root, sift down */
            for (;;) {
                int child = 2 * j + 1;
                if (child >= cap) break;
                if (child + 1 < cap && hr[child + 1] > hr[child]) child++;
                if (hr[child] <= r) break;
                hr[j] = hr[child]; hw[j] = hw[child]; j = child;
            }
            hr[j] = r; hw[j] = a;
            match[a] = p;
            match[out] = -1;
            stack[top++] = out;
            break;
        }
    }
    double solved = now(), solved_cpu = cpu_now();

    FILE *out = fopen(argv[2], "wb");
    if (!out) { perror(argv[2]); return 2; }
    for (long a = 0; a < n; a++) fprintf(out, "%d\n", match[a]);
    fclose(out);
    fprintf(stderr, "read_seconds %.6f solve_seconds %.6f solve_cpu_seconds %.6f\n", read - began,
            solved - read, solved_cpu - read_cpu);
    return 0;
}
