#!/bin/bash
# House rules that a machine can check (STYLE.md practices 2, 8 and 11):
# no banned C functions in lib/ and plugins/, no exit() in lib/, no
# absolute paths of a build machine in the sources.
. "${top_srcdir:-.}/t/tap.sh"
cd "$top_srcdir" || exit 1

src=$(ls lib/*.c lib/*.h plugins/*.c)
banned='\b(sprintf|vsprintf|strcpy|strcat|strtok|gets|atoi|atol|alarm|select|signal)[[:space:]]*\('
hits=$(grep -nE "$banned" $src | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*)')
[ -z "$hits" ]
ok $? "no banned function in lib/ or plugins/"
[ -z "$hits" ] || diag "$hits"

hits=$(grep -nE '\b(exit|_exit|abort)\(' lib/*.c | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*)')
[ -z "$hits" ]
ok $? "lib/ never exits: the plugin module returns the code to main()"
[ -z "$hits" ] || diag "$hits"

hits=$(grep -nE '/(home|root|work|Users)/' $src t/*.t t/lab/up t/lab/down contrib/demo 2>/dev/null)
[ -z "$hits" ]
ok $? "no absolute path of a build machine"
[ -z "$hits" ] || diag "$hits"

# every plugin's long options include the common ones
for p in plugins/check_*.c; do
	grep -q 'PLUGIN_COMMON_LONGOPTS' "$p"
	ok $? "$p takes the common options"
done
done_testing
