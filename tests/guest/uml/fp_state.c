// SPDX-License-Identifier: GPL-2.0
/*
 * The UML port: a guest process's FP and vector registers survive what
 * the signal tests put it through (a signal handler, preemption, a
 * ptrace stop), and a tracer reads what a stopped child wrote.
 *
 * UML keeps each guest thread's registers in its own copy, moved to and
 * from the host process with PTRACE_{GET,SET}REGSET(NT_X86_XSTATE); the
 * host insists on its full XSAVE area (11008 bytes with AMX), and guest
 * signal frames must carry the whole of it.  Each test fills every vector
 * register the CPU has (SSE: xmm0-15; AVX: ymm0-15; AVX-512: zmm0-31 and
 * k0-7, as cpuid and XCR0 say) with a known pattern, holds it in a loop
 * that touches no vector register, and checks every byte afterwards.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <elf.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "kselftest_harness.h"

#ifndef NT_X86_XSTATE
#define NT_X86_XSTATE 0x202
#endif
#define FP_XSTATE_MAGIC1 0x46505853U

/* Spin iterations before a hold gives up waiting (seconds on UML). */
#define HOLD_LIMIT 4000000000UL
/* How long the busy sibling holds its registers (a tenth of a second or so). */
#define SIBLING_SPIN 200000000UL

enum vector_class { VEC_SSE, VEC_AVX, VEC_AVX512 };

/* The registers of every class, each register in a 64-byte slot. */
struct vregs {
	uint8_t v[32][64];	/* xmm/ymm/zmm n in v[n][0..15/31/63] */
	uint16_t k[8];		/* AVX-512 opmasks */
};

/*
 * hold_<class>(in, out, stop, limit): load every register of the class
 * from @in, spin until *@stop or @limit iterations, store them to @out;
 * returns the iterations left (0: @stop never came).  clobber_<class>()
 * loads another pattern into the same registers.  Plain functions, so the
 * compiler treats every vector register as clobbered by a call.
 */
unsigned long hold_sse(const struct vregs *in, struct vregs *out, volatile int *stop,
		       unsigned long limit);
unsigned long hold_avx(const struct vregs *in, struct vregs *out, volatile int *stop,
		       unsigned long limit);
unsigned long hold_avx512(const struct vregs *in, struct vregs *out, volatile int *stop,
			  unsigned long limit);
void clobber_sse(void);
void clobber_avx(void);
void clobber_avx512(void);

#define SPIN								\
	"1:	cmpl $0, (%rdx)\n"					\
	"	jne 2f\n"						\
	"	sub $1, %rcx\n"						\
	"	jnz 1b\n"						\
	"2:	mov %rcx, %rax\n"

__asm__(
	".text\n"
	".globl hold_sse\n"
	"hold_sse:\n"
	"	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	movdqu (\\r*64)(%rdi), %xmm\\r\n"
	"	.endr\n"
	SPIN
	"	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	movdqu %xmm\\r, (\\r*64)(%rsi)\n"
	"	.endr\n"
	"	ret\n"
	".globl hold_avx\n"
	"hold_avx:\n"
	"	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	vmovdqu (\\r*64)(%rdi), %ymm\\r\n"
	"	.endr\n"
	SPIN
	"	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	vmovdqu %ymm\\r, (\\r*64)(%rsi)\n"
	"	.endr\n"
	"	vzeroupper\n"
	"	ret\n"
	".globl hold_avx512\n"
	"hold_avx512:\n"
	"	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	vmovdqu64 (\\r*64)(%rdi), %zmm\\r\n"
	"	.endr\n"
	"	.irp r,0,1,2,3,4,5,6,7\n"
	"	kmovw (2048+\\r*2)(%rdi), %k\\r\n"
	"	.endr\n"
	SPIN
	"	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	vmovdqu64 %zmm\\r, (\\r*64)(%rsi)\n"
	"	.endr\n"
	"	.irp r,0,1,2,3,4,5,6,7\n"
	"	kmovw %k\\r, (2048+\\r*2)(%rsi)\n"
	"	.endr\n"
	"	vzeroupper\n"
	"	ret\n"
	".globl clobber_sse\n"
	"clobber_sse:\n"
	"	pcmpeqd %xmm0, %xmm0\n"
	"	.irp r,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	movdqa %xmm0, %xmm\\r\n"
	"	.endr\n"
	"	ret\n"
	".globl clobber_avx\n"
	"clobber_avx:\n"
	"	vpcmpeqd %ymm0, %ymm0, %ymm0\n"
	"	.irp r,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	vmovdqa %ymm0, %ymm\\r\n"
	"	.endr\n"
	"	ret\n"
	".globl clobber_avx512\n"
	"clobber_avx512:\n"
	"	vpternlogd $0xff, %zmm0, %zmm0, %zmm0\n"
	"	.irp r,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	vmovdqa64 %zmm0, %zmm\\r\n"
	"	.endr\n"
	"	kxnorw %k0, %k0, %k1\n"
	"	.irp r,0,2,3,4,5,6,7\n"
	"	kmovw %k1, %k\\r\n"
	"	.endr\n"
	"	ret\n");

/* What this CPU and its OS enable, and the XSAVE layout (cpuid 0xD). */
struct cpu_vectors {
	enum vector_class cls;
	unsigned int xsave_size;
	unsigned int off_ymm_hi, off_opmask, off_zmm_hi, off_hi16_zmm;
};

static unsigned int xsave_offset(unsigned int component)
{
	unsigned int a, b, c, d;

	__cpuid_count(0xd, component, a, b, c, d);
	return b;
}

static struct cpu_vectors cpu_vectors(void)
{
	struct cpu_vectors cv = { .cls = VEC_SSE };
	unsigned int a, b, c, d, xcr0 = 0;

	__cpuid(1, a, b, c, d);
	if (c & bit_OSXSAVE)
		__asm__ volatile("xgetbv" : "=a"(xcr0) : "c"(0) : "edx");
	if ((c & bit_AVX) && (xcr0 & 0x6) == 0x6)
		cv.cls = VEC_AVX;
	__cpuid_count(7, 0, a, b, c, d);
	if (cv.cls == VEC_AVX && (b & bit_AVX512F) && (xcr0 & 0xe0) == 0xe0)
		cv.cls = VEC_AVX512;
	if (xcr0) {
		__cpuid_count(0xd, 0, a, b, c, d);
		cv.xsave_size = b;
		cv.off_ymm_hi = xsave_offset(2);
		cv.off_opmask = xsave_offset(5);
		cv.off_zmm_hi = xsave_offset(6);
		cv.off_hi16_zmm = xsave_offset(7);
	}
	return cv;
}

static const char *const class_names[] = { "SSE", "AVX", "AVX-512" };

/* Each byte of the pattern names its register, its byte and its owner. */
static void fill(struct vregs *r, uint8_t seed)
{
	for (int n = 0; n < 32; n++)
		for (int b = 0; b < 64; b++)
			r->v[n][b] = (uint8_t)(seed * 131 + n * 67 + b * 3 + 1);
	for (int n = 0; n < 8; n++)
		r->k[n] = (uint16_t)(seed * 4099 + n * 257 + 1);
}

static unsigned long hold_for(enum vector_class cls, const struct vregs *in, struct vregs *out,
			      volatile int *stop, unsigned long limit)
{
	switch (cls) {
	case VEC_AVX512:
		return hold_avx512(in, out, stop, limit);
	case VEC_AVX:
		return hold_avx(in, out, stop, limit);
	default:
		return hold_sse(in, out, stop, limit);
	}
}

static unsigned long hold(enum vector_class cls, const struct vregs *in, struct vregs *out,
			  volatile int *stop)
{
	return hold_for(cls, in, out, stop, HOLD_LIMIT);
}

static void clobber(enum vector_class cls)
{
	switch (cls) {
	case VEC_AVX512:
		clobber_avx512();
		break;
	case VEC_AVX:
		clobber_avx();
		break;
	default:
		clobber_sse();
	}
}

/*
 * The first register and byte where @got differs from @want for the
 * class, as "ymm3 byte 17: 0x.. not 0x..", or NULL if none does.
 */
static const char *mismatch(enum vector_class cls, const struct vregs *want,
			    const struct vregs *got)
{
	static const char *const reg[] = { "xmm", "ymm", "zmm" };
	int nregs = cls == VEC_AVX512 ? 32 : 16;
	int width = cls == VEC_AVX512 ? 64 : cls == VEC_AVX ? 32 : 16;
	static char buf[128];

	for (int n = 0; n < nregs; n++)
		for (int b = 0; b < width; b++)
			if (want->v[n][b] != got->v[n][b]) {
				snprintf(buf, sizeof(buf), "%s%d byte %d: 0x%02x, not 0x%02x",
					 reg[cls], n, b, got->v[n][b], want->v[n][b]);
				return buf;
			}
	for (int n = 0; cls == VEC_AVX512 && n < 8; n++)
		if (want->k[n] != got->k[n]) {
			snprintf(buf, sizeof(buf), "k%d: 0x%04x, not 0x%04x", n, got->k[n], want->k[n]);
			return buf;
		}
	return NULL;
}

/*
 * Read @xsave (standard-format XSAVE area, as a signal frame or
 * PTRACE_GETREGSET holds it) back into registers.
 */
static void from_xsave(const struct cpu_vectors *cv, const uint8_t *xsave, struct vregs *r)
{
	memset(r, 0, sizeof(*r));
	for (int n = 0; n < 16; n++)
		memcpy(r->v[n], xsave + 160 + n * 16, 16);
	if (cv->cls >= VEC_AVX)
		for (int n = 0; n < 16; n++)
			memcpy(r->v[n] + 16, xsave + cv->off_ymm_hi + n * 16, 16);
	if (cv->cls == VEC_AVX512) {
		for (int n = 0; n < 16; n++)
			memcpy(r->v[n] + 32, xsave + cv->off_zmm_hi + n * 32, 32);
		for (int n = 16; n < 32; n++)
			memcpy(r->v[n], xsave + cv->off_hi16_zmm + (n - 16) * 64, 64);
		for (int n = 0; n < 8; n++)
			memcpy(&r->k[n], xsave + cv->off_opmask + n * 8, 2);
	}
}

FIXTURE(fp_state) {
	struct cpu_vectors cv;
	struct vregs want, got;
};

FIXTURE_SETUP(fp_state)
{
	self->cv = cpu_vectors();
	fill(&self->want, 1);
	memset(&self->got, 0, sizeof(self->got));
	TH_LOG("vector registers: %s; XSAVE area %u bytes", class_names[self->cv.cls],
	       self->cv.xsave_size);
}

FIXTURE_TEARDOWN(fp_state)
{
}

/* The signal test's handler state: what it saw in its frame. */
static struct {
	volatile int stop;
	int count;
	enum vector_class cls;
	const struct cpu_vectors *cv;
	bool magic;
	unsigned int frame_size;
	struct vregs frame;
} sig;

static void clobbering_handler(int signo, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;

	(void)signo;
	(void)si;
	if (sig.count++ == 0 && fp) {
		/*
		 * struct _fpx_sw_bytes, in the FXSAVE area's software bytes:
		 * magic1, extended_size, xfeatures (u64), xstate_size.
		 */
		const uint32_t *sw = (const uint32_t *)(fp + 464);

		sig.magic = sw[0] == FP_XSTATE_MAGIC1;
		sig.frame_size = sw[4];
		from_xsave(sig.cv, fp, &sig.frame);
	}
	clobber(sig.cls);
	if (sig.count >= 10)
		sig.stop = 1;
}

/*
 * A handler that clobbers every vector register, ten times over: the
 * frame must give each one back on sigreturn, and must hold the whole
 * XSAVE state, marked as such, the way the x86 kernel builds it.
 */
TEST_F(fp_state, signal_handler_clobbers_are_undone)
{
	struct sigaction sa = { .sa_sigaction = clobbering_handler, .sa_flags = SA_SIGINFO };
	struct itimerval every_2ms = { { 0, 2000 }, { 0, 2000 } }, off = { 0 };
	const char *bad;

	sig.cls = self->cv.cls;
	sig.cv = &self->cv;
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &every_2ms, NULL));
	EXPECT_NE(0UL, hold(self->cv.cls, &self->want, &self->got, &sig.stop))
		TH_LOG("no ten SIGALRMs came while the registers were held");
	setitimer(ITIMER_REAL, &off, NULL);
	ASSERT_GE(sig.count, 10);
	bad = mismatch(self->cv.cls, &self->want, &self->got);
	EXPECT_EQ(NULL, bad) TH_LOG("after sigreturn: %s", bad);
	if (self->cv.xsave_size) {
		EXPECT_TRUE(sig.magic) TH_LOG("the signal frame is not marked as holding XSAVE state");
		EXPECT_GE(sig.frame_size, self->cv.xsave_size)
			TH_LOG("the frame holds %u bytes of XSAVE state, the CPU's area is %u",
			       sig.frame_size, self->cv.xsave_size);
	}
	bad = mismatch(self->cv.cls, &self->want, &sig.frame);
	EXPECT_EQ(NULL, bad) TH_LOG("in the signal frame: %s", bad);
}

/* A busy sibling thread: same mm, so the same host process in UML. */
struct sibling {
	enum vector_class cls;
	volatile int *go, *stop;
	struct vregs want, got;
};

static void *busy_sibling(void *arg)
{
	struct sibling *s = arg;
	static volatile int never;

	while (!*s->go)
		;
	/* Hold its own pattern for a while, then let the main thread go. */
	hold_for(s->cls, &s->want, &s->got, &never, SIBLING_SPIN);
	*s->stop = 1;
	return NULL;
}

/*
 * Preempted by a thread of its own process (UML switches them on one
 * host process, through its copy of the registers): neither thread sees
 * the other's values.
 */
TEST_F(fp_state, preempted_by_a_busy_sibling_thread)
{
	static volatile int go, stop;
	struct sibling s = { .cls = self->cv.cls, .go = &go, .stop = &stop };
	struct rusage before, after;
	pthread_t t;
	const char *bad;

	fill(&s.want, 2);
	ASSERT_EQ(0, pthread_create(&t, NULL, busy_sibling, &s));
	getrusage(RUSAGE_THREAD, &before);
	go = 1;
	EXPECT_NE(0UL, hold(self->cv.cls, &self->want, &self->got, &stop));
	getrusage(RUSAGE_THREAD, &after);
	pthread_join(t, NULL);
	/* The sibling spun its whole limit: it only ran when this one was preempted. */
	EXPECT_GT(after.ru_nivcsw, before.ru_nivcsw) TH_LOG("the main thread was never preempted");
	bad = mismatch(self->cv.cls, &self->want, &self->got);
	EXPECT_EQ(NULL, bad) TH_LOG("main thread: %s", bad);
	bad = mismatch(self->cv.cls, &s.want, &s.got);
	EXPECT_EQ(NULL, bad) TH_LOG("sibling thread: %s", bad);
}

/* The child of the ptrace tests: hold the pattern, exit 0 if it held. */
static volatile int child_stop;

static void __attribute__((noreturn)) holding_child(enum vector_class cls, const struct vregs *want)
{
	struct vregs got;

	if (!hold(cls, want, &got, &child_stop))
		_exit(2);	/* never released */
	_exit(mismatch(cls, want, &got) ? 1 : 0);
}

/* Stop @pid with PTRACE_INTERRUPT once it has had time to load its pattern. */
static int seize_and_stop(pid_t pid)
{
	int status;

	usleep(200 * 1000);
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) || ptrace(PTRACE_INTERRUPT, pid, 0, 0))
		return -1;
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return -1;
	return 0;
}

/* Release the child's loop (it reads child_stop) and let it finish. */
static int release(pid_t pid)
{
	int status;

	if (ptrace(PTRACE_POKEDATA, pid, &child_stop, 1) || ptrace(PTRACE_DETACH, pid, 0, 0))
		return -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * A tracer stops a child that holds its registers and reads them, as
 * PTRACE_GETREGSET(NT_X86_XSTATE) and PTRACE_GETFPREGS give them: it must
 * see what the child wrote (not its own registers, nor another
 * process's).  Resumed, the child still holds them.
 */
TEST_F(fp_state, tracer_reads_a_stopped_child)
{
	static uint8_t xsave[64 * 1024];
	struct iovec iov = { .iov_base = xsave, .iov_len = sizeof(xsave) };
	struct user_fpregs_struct fpregs;
	struct vregs seen, mine;
	const char *bad;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		holding_child(self->cv.cls, &self->want);
	ASSERT_EQ(0, seize_and_stop(pid));

	/* The tracer's own registers hold another pattern meanwhile. */
	fill(&mine, 3);
	hold(self->cv.cls, &mine, &seen, &(volatile int){ 1 });

	EXPECT_EQ(0, ptrace(PTRACE_GETREGSET, pid, NT_X86_XSTATE, &iov))
		TH_LOG("PTRACE_GETREGSET(NT_X86_XSTATE): %s", strerror(errno));
	if (self->cv.xsave_size)
		EXPECT_EQ(self->cv.xsave_size, iov.iov_len);
	from_xsave(&self->cv, xsave, &seen);
	bad = mismatch(self->cv.cls, &self->want, &seen);
	EXPECT_EQ(NULL, bad) TH_LOG("PTRACE_GETREGSET: %s", bad);

	/* The legacy interface: the FXSAVE layout, xmm0-15 at byte 160. */
	ASSERT_EQ(0, ptrace(PTRACE_GETFPREGS, pid, 0, &fpregs));
	from_xsave(&(struct cpu_vectors){ .cls = VEC_SSE }, (const uint8_t *)&fpregs, &seen);
	bad = mismatch(VEC_SSE, &self->want, &seen);
	EXPECT_EQ(NULL, bad) TH_LOG("PTRACE_GETFPREGS: %s", bad);

	EXPECT_EQ(0, release(pid)) TH_LOG("the child's registers changed across the stop");
}

/*
 * Stopped and resumed by a tracer, many times over, while it holds its
 * registers.
 */
TEST_F(fp_state, ptrace_stops_and_resumes)
{
	pid_t pid = fork();
	int status;

	ASSERT_GE(pid, 0);
	if (pid == 0)
		holding_child(self->cv.cls, &self->want);
	ASSERT_EQ(0, seize_and_stop(pid));
	for (int i = 0; i < 20; i++) {
		ASSERT_EQ(0, ptrace(PTRACE_CONT, pid, 0, 0));
		usleep(5 * 1000);
		ASSERT_EQ(0, ptrace(PTRACE_INTERRUPT, pid, 0, 0));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSTOPPED(status));
	}
	EXPECT_EQ(0, release(pid)) TH_LOG("the child's registers changed across the stops");
}

TEST_HARNESS_MAIN
