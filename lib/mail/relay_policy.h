/*
 * relay_policy - the TLS policy of a relay walk, asked per host and per
 * address, so that each policy (the plain levels, DANE, MTA-STS) is one
 * table of functions beside the others and the walk stays the same.
 *
 * begin() (optional) runs once per run, when the DNS channel is up and
 * before the first query, so a policy's own lookups ride in the first
 * round; -1 with err stops the run.  end() (optional) frees what it kept
 * in run->policy_run, after the DNS channel is gone.
 * prepare() runs once per walk, after its addresses are known and before
 * any session: it may ask the DNS (or fetch a policy) for every host at
 * once, rule hosts out as a sender would (RELAY_SKIPPED, policy_skip and
 * a note), and must call relay_policy_ready(w) exactly once when it is
 * done, possibly before it returns.  Per address, tls_use() says whether
 * STARTTLS is never used, used when offered or required; sni() the name
 * to send (NULL: none); trust_store() whether its certificate is checked
 * against the system store (loaded only then); tls_done() whether the
 * handshake's peer will do (filling a->facts, and a->dres for DANE);
 * retry_plain() whether a failed handshake is retried without STARTTLS,
 * as Postfix does at "may".  tls_hold() (optional): the session holds
 * after its first EHLO until the policy is decided; the policy then calls
 * relay_policy_decided(w), and each held session goes on with tls_use()
 * (or stops, when its host was ruled out meanwhile: policy_skip).
 * ready() (optional) runs in relay_policy_ready(), before any session:
 * a policy made of two (auto: DANE, then MTA-STS) rules hosts out there.  release() frees what prepare() kept in
 * w->policy.  relay_run() picks the run's policy from rp->tls.
 */
#ifndef MAILPATH_RELAY_POLICY_H
#define MAILPATH_RELAY_POLICY_H

#include "mail/relay.h"
#include "net/smtp.h"

struct dns;
struct loop;

struct relay_policy {
	int (*begin)(struct relay *run, struct loop *l, struct dns *d,
	    char *err, size_t errlen);
	void (*prepare)(struct relay_walk *w, struct dns *d);
	enum smtp_tls_use (*tls_use)(const struct relay_attempt *a);
	const char *(*sni)(const struct relay_attempt *a);
	bool (*trust_store)(const struct relay_attempt *a);
	bool (*tls_done)(struct relay_attempt *a, struct tls *t);
	bool (*retry_plain)(const struct relay_attempt *a);
	bool (*tls_hold)(const struct relay_attempt *a);
	void (*ready)(struct relay_walk *w);
	void (*release)(struct relay_walk *w);
	void (*end)(struct relay *run);
};

/* none, may, encrypt, verify, secure: nothing to look up. */
extern const struct relay_policy relay_policy_levels;

/* The policy has what it needs for every host of w: start the walk. */
void relay_policy_ready(struct relay_walk *w);
/* The policy decided after the walk started (tls_hold): release the held
 * sessions, stop those whose host it ruled out (policy_skip). */
void relay_policy_decided(struct relay_walk *w);
/* The name a host's certificate must carry: --tls-name for the -H
 * relays, else the host's own; NULL for an address. */
const char *relay_policy_cert_name(const struct relay_attempt *a);
/* The MX host of the run's set for this name, or NULL (a relay walk). */
const struct mx_host *relay_policy_mx_host(const struct relay_walk *w,
    const char *name);
/* RFC 7672 §2.2: the MX RRset (on an MX walk) and the host's address
 * records were validated; else why not. */
bool relay_policy_secure(const struct relay_walk *w, const char *host,
    char *why, size_t whysz);

#endif
