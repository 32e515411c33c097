#!/bin/sh
# Replay the DNS parser's fuzz corpus.
exec "${top_builddir:-.}/t/fuzz/dns_fuzz" "${top_srcdir:-.}/t/fuzz/corpus/dns"
