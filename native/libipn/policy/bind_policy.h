/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bind policies: which device a process's sockets are bound to, and which
 * destinations keep their normal route. Shared by the preload library
 * (libipn_bind.so) and libipn's ipn_bind_policy_check().
 *
 * The text form, one item per line or separated by ';', '#' starts a comment:
 *
 *   name usn-testers
 *   device usn0              fixed device (wins over env)
 *   env ND                   else: the device named by this variable
 *   except tcp 6000-6063     proto tcp|udp|any, ports a[-b][,c[-d]...]
 *   except loopback          127.0.0.0/8, ::1, unspecified addresses
 *   except unix              AF_UNIX sockets (never bound anyway)
 *   except address 10.0.0.0/8
 */
#ifndef IPN_BIND_POLICY_H
#define IPN_BIND_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <sys/socket.h>

#define IPNB_MAX_EXC 64
#define IPNB_MAX_RANGES 32
#define IPNB_NAME_MAX 64

/* Environment: the policy text, and the debug switch. */
#define IPNB_ENV_POLICY "IPN_BIND_POLICY"
#define IPNB_ENV_DEBUG "IPN_BIND_DEBUG"
/* Variable read when no policy text is given (the seed's ND=<dev>). */
#define IPNB_DEFAULT_ENV "ND"

enum ipnb_proto { IPNB_ANY = 0, IPNB_TCP = 1, IPNB_UDP = 2 };
enum ipnb_kind { IPNB_EXC_PORT = 1, IPNB_EXC_LOOPBACK, IPNB_EXC_UNIX, IPNB_EXC_ADDR };

struct ipnb_range {
	uint16_t lo, hi;
};

struct ipnb_exc {
	int kind;  /* enum ipnb_kind */
	int proto; /* enum ipnb_proto, IPNB_EXC_PORT only */
	int nranges;
	struct ipnb_range ranges[IPNB_MAX_RANGES];
	int family; /* AF_INET or AF_INET6, IPNB_EXC_ADDR only */
	uint8_t addr[16];
	int plen;
};

struct ipnb_policy {
	char name[IPNB_NAME_MAX];
	char device[IFNAMSIZ];
	char env[IPNB_NAME_MAX];
	int nexc;
	struct ipnb_exc exc[IPNB_MAX_EXC];
};

/* Parse policy text. 0, or -EINVAL with "line N: why" in err. */
int ipnb_parse(const char *text, struct ipnb_policy *p, char *err, size_t errcap);

/* The policy used when only the device variable is set: env ND, except loopback, unix. */
void ipnb_default(struct ipnb_policy *p);

/*
 * Does a socket of this protocol (IPPROTO_*) keep its normal route towards
 * `sa`? 1 yes (an exception matches), 0 no (bind it).
 */
int ipnb_excepted(const struct ipnb_policy *p, int ipproto, const struct sockaddr *sa,
		  socklen_t len);

/*
 * The same for a listening socket's local address: a wildcard address
 * (0.0.0.0, ::) listens on every interface and is not loopback.
 */
int ipnb_excepted_local(const struct ipnb_policy *p, int ipproto, const struct sockaddr *sa,
			socklen_t len);

typedef const char *(*ipnb_getenv_fn)(const char *name);

/*
 * Decide at load time whether the library acts, and on which device.
 * Returns 1 active (p->device filled), 0 inactive, -EINVAL bad policy text
 * (err says why). `at_secure` is getauxval(AT_SECURE): setuid/setgid and
 * other secure-execution programs are never touched.
 */
int ipnb_resolve(struct ipnb_policy *p, unsigned long at_secure, ipnb_getenv_fn get, char *err,
		 size_t errcap);

#endif
