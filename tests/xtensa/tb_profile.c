/* tb_profile.c - a QEMU TCG plugin that counts the instructions executed in every translation
 * block, for tests/xtensa/profile.sh (where the emulated core's instructions go, by function).
 *
 * Debian's QEMU 7.2 loads plugins (-plugin lib.so) but ships no qemu-plugin.h, so the few API
 * v1 entry points used are declared here (../shared/docs/XTENSA.md). Each translated block gets an
 * inline counter: executions x instructions are added as the block runs. At exit the counters
 * go to PROF_OUT (default tb_profile.txt) as "address instructions_per_block instructions" lines.
 * Built for the host with its own C compiler; never linked into the engine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*tb_trans_cb)(qemu_plugin_id_t, struct qemu_plugin_tb *);
typedef void (*udata_cb)(qemu_plugin_id_t, void *);
extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb cb);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
extern uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
extern void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                                     uint64_t imm);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, udata_cb cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

typedef struct block {
    uint64_t pc, insns, count;
} block;

/* never reallocated: QEMU holds pointers to the counters */
#define MAX_BLOCKS 4000000u
static block *blocks;
static size_t nblocks;
static int overflow;

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    block *b;
    (void)id;
    if (nblocks == MAX_BLOCKS) {
        overflow = 1;
        return;
    }
    b = &blocks[nblocks++];
    b->pc = qemu_plugin_tb_vaddr(tb);
    b->insns = qemu_plugin_tb_n_insns(tb);
    b->count = 0;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->count, b->insns);
}

static void on_plugin_exit(qemu_plugin_id_t id, void *user)
{
    const char *path = getenv("PROF_OUT") ? getenv("PROF_OUT") : "tb_profile.txt";
    FILE *f = fopen(path, "w");
    size_t i;
    (void)id;
    (void)user;
    if (f == NULL) {
        fprintf(stderr, "tb_profile: cannot write %s\n", path);
        return;
    }
    for (i = 0; i < nblocks; i++) {
        if (blocks[i].count) {
            fprintf(f, "%llx %llu %llu\n", (unsigned long long)blocks[i].pc, (unsigned long long)blocks[i].insns,
                    (unsigned long long)blocks[i].count);
        }
    }
    if (overflow) {
        fprintf(stderr, "tb_profile: more than %u blocks, the rest not counted\n", MAX_BLOCKS);
    }
    fclose(f);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                                               char **argv)
{
    (void)info;
    (void)argc;
    (void)argv;
    blocks = calloc(MAX_BLOCKS, sizeof *blocks);
    if (blocks == NULL) {
        return -1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_plugin_exit, NULL);
    return 0;
}
