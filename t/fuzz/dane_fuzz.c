/*
 * dane_fuzz - the DANE matcher (net/tls_dane) on arbitrary TLSA records and
 * certificate chains, both of which come from the network.  Input: one
 * octet with the number of records (low two bits), each record as usage,
 * selector, matching type, a length octet and the data; then the chain,
 * each certificate behind a two-octet big-endian length.
 */
#include <config.h>

#include "net/tls_dane.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_tlsa recs[3];
	const unsigned char *der[4];
	size_t len[4], nrecs, nder = 0, pos = 1, i;
	struct tls_dane out;

	if (size < 1)
		return 0;
	nrecs = data[0] & 3;
	if (nrecs > 3)
		nrecs = 3;
	for (i = 0; i < nrecs; i++) {
		if (size - pos < 4 || size - pos - 4 < data[pos + 3])
			return 0;
		recs[i].usage = data[pos];
		recs[i].selector = data[pos + 1];
		recs[i].mtype = data[pos + 2];
		recs[i].len = data[pos + 3];
		recs[i].data = data + pos + 4;
		pos += 4 + recs[i].len;
	}
	while (nder < 4 && size - pos >= 2) {
		size_t n = (size_t)data[pos] << 8 | data[pos + 1];

		pos += 2;
		if (n > size - pos)
			n = size - pos;
		der[nder] = data + pos;
		len[nder++] = n;
		pos += n;
	}
	tls_dane_match(der, len, nder, recs, nrecs, "mx.example.test", &out);
	return 0;
}
