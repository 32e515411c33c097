#!/bin/sh
# Replay the SMTP reply and EHLO parsers' fuzz corpus.
exec "${top_builddir:-.}/t/fuzz/smtp_reply_fuzz" "${top_srcdir:-.}/t/fuzz/corpus/smtp_reply"
