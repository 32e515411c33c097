/*
 * smtp_reply_fuzz - the SMTP reply parser and the EHLO capability parser
 * on arbitrary bytes, fed the way the session feeds them (line by line,
 * reply after reply).  Nothing may crash, hang or read out of bounds.
 */
#include <config.h>

#include "net/smtp.h"
#include "net/smtp_caps.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct smtp_parser ps;
	struct smtp_caps caps;
	size_t pos = 0, start = 0, used;

	smtp_wire_parser_reset(&ps);
	while (pos < size) {
		enum smtp_parse r = smtp_wire_parse(&ps, in + pos, size - pos,
		    &used);

		pos += used;
		if (r == SMTP_PARSE_ERROR || used == 0)
			break;
		if (r == SMTP_PARSE_DONE) {
			/* the reply's lines, as an EHLO reply */
			smtp_caps_parse(in + start, pos - start, &caps);
			smtp_wire_parser_reset(&ps);
			start = pos;
		}
	}
	smtp_caps_parse(in, size, &caps);
	return 0;
}
