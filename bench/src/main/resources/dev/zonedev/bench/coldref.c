/*
 * The native reference for cold runs of the zonedev command (bench ColdStart).
 *
 * Does the memory work of one namespace's memmap initialization and nothing else, the way
 * the engine cuts it: a fresh anonymous mapping of 64 bytes per 4 KiB page, MADV_HUGEPAGE,
 * then `workers` threads walk their contiguous slice of the same sub-ranges (at least
 * `ranges_per_worker` per worker, none larger than a 128 MiB section's 32768 pages), claim
 * each with one compare-and-swap and write the same eight words per page as the engine's
 * struct page loop. With `pipelines` > 1, that many such pipelines run side by side (each its
 * own mapping and workers), as the default job's namespaces do.
 *
 * Prints one JSON line: addMs (mapping + advice + threads started: what an async add
 * returns after) and initMs (every page written) per pipeline, from the program's start of
 * work, and the maximum initMs. Built by ColdStart with the system compiler at run time.
 *
 *   coldref SIZE_BYTES WORKERS RANGES_PER_WORKER [PIPELINES]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define PMD_SIZE (2UL << 20)
#define SECTION_PAGES 32768UL

struct pipeline {
    uint64_t *memmap;
    uint64_t pages, sub_pages, nr_sub;
    int workers;
    int remaining;
    int *state;
    double add_ms, init_ms;
    pthread_t *threads;
};

struct worker_arg {
    struct pipeline *p;
    int index;
};

static struct timespec start;

static double ms_since_start(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start.tv_sec) * 1e3 + (now.tv_nsec - start.tv_nsec) / 1e6;
}

static void write_pages(uint64_t *memmap, uint64_t from, uint64_t to) {
    const uint64_t base = (4UL << 61) | (1UL << 11); /* ZONE_DEVICE, PG_reserved */
    for (uint64_t pfn = from; pfn < to; pfn++) {
        uint64_t *page = memmap + pfn * 8;
        page[0] = base | ((pfn >> 15) << 32);
        page[1] = 1;                      /* pgmap */
        page[2] = 0xdead000000000200UL;   /* LIST_POISON2 */
        page[3] = 0;
        page[4] = 0;
        page[5] = 0;
        page[6] = (1UL << 32) | 0xffffffffUL;
        page[7] = 0;
    }
}

static void *run_worker(void *arg) {
    struct worker_arg *a = arg;
    struct pipeline *p = a->p;
    uint64_t first = p->nr_sub * a->index / p->workers;
    uint64_t end = p->nr_sub * (a->index + 1) / p->workers;
    for (uint64_t i = first; i < end; i++) {
        int expected = 0;
        if (__atomic_compare_exchange_n(&p->state[i], &expected, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            uint64_t from = i * p->sub_pages;
            uint64_t to = from + p->sub_pages < p->pages ? from + p->sub_pages : p->pages;
            write_pages(p->memmap, from, to);
            __atomic_store_n(&p->state[i], 2, __ATOMIC_RELEASE);
        }
    }
    if (__atomic_sub_fetch(&p->remaining, 1, __ATOMIC_ACQ_REL) == 0) {
        p->init_ms = ms_since_start(); /* the last page of this pipeline is written */
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: coldref SIZE_BYTES WORKERS RANGES_PER_WORKER [PIPELINES]\n");
        return 2;
    }
    uint64_t size = strtoull(argv[1], NULL, 0);
    int workers = atoi(argv[2]);
    uint64_t per_worker = strtoull(argv[3], NULL, 0);
    int n = argc > 4 ? atoi(argv[4]) : 1;
    if (size < 4096 || workers < 1 || per_worker < 1 || n < 1) {
        fprintf(stderr, "coldref: bad arguments\n");
        return 2;
    }
    struct pipeline *ps = calloc(n, sizeof *ps);
    struct worker_arg *args = calloc((size_t) n * workers, sizeof *args);
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int k = 0; k < n; k++) {
        struct pipeline *p = &ps[k];
        p->pages = size / 4096;
        p->workers = workers;
        p->remaining = workers;
        uint64_t wanted = (uint64_t) workers * per_worker;
        uint64_t per = (p->pages + wanted - 1) / wanted;
        p->sub_pages = per < 1 ? 1 : per > SECTION_PAGES ? SECTION_PAGES : per;
        p->nr_sub = (p->pages + p->sub_pages - 1) / p->sub_pages;
        p->state = calloc(p->nr_sub, sizeof(int));
        p->threads = calloc(workers, sizeof(pthread_t));
        size_t bytes = p->pages * 64;
        char *raw = mmap(NULL, bytes + PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                -1, 0);
        if (raw == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        char *aligned = (char *) (((uintptr_t) raw + PMD_SIZE - 1) & ~(PMD_SIZE - 1));
        madvise(aligned, bytes, MADV_HUGEPAGE);
        p->memmap = (uint64_t *) aligned;
        for (int w = 0; w < workers; w++) {
            struct worker_arg *a = &args[k * workers + w];
            a->p = p;
            a->index = w;
            pthread_create(&p->threads[w], NULL, run_worker, a);
        }
        p->add_ms = ms_since_start();
    }
    double max = 0;
    for (int k = 0; k < n; k++) {
        for (int w = 0; w < workers; w++) {
            pthread_join(ps[k].threads[w], NULL);
        }
    }
    printf("{\"pipelines\":[");
    for (int k = 0; k < n; k++) {
        printf("%s{\"addMs\":%.3f,\"initMs\":%.3f}", k ? "," : "", ps[k].add_ms, ps[k].init_ms);
        if (ps[k].init_ms > max) {
            max = ps[k].init_ms;
        }
    }
    printf("],\"maxInitMs\":%.3f}\n", max);
    return 0;
}
