#!/bin/bash
. "${top_srcdir:-.}/t/tap.sh"
lab_required
done_testing
