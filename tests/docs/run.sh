#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Tier "docs": the documentation stays true to the code.
# - every option that a tool's --help lists is in its man page (docs/man), and
#   the page renders without warnings (when groff is installed);
# - every -V/--version prints "TOOL VERSION";
# - every pointer into the contract (docs/abi.md, "SECTION") in the sources
#   names a section that exists.
set -u
. "$WBPF_TOP/tests/lib.sh"

BIN=$WBPF_BUILD/bin
MAN=$WBPF_TOP/docs/man

# the options of a --help text: the words starting with - in the name part
# (before the first run of two spaces) of each line that starts with -
help_options() {
	sed -n 's/^ *\(-.*\)$/\1/p' | sed 's/  .*//' |
		grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | tr -d ' ,' | sort -u
}

for tool in wasmbpf-aot wasmbpf-run wasmbpf-skel; do
	page=$MAN/$tool.1
	if [ ! -x "$BIN/$tool" ]; then
		fail "${tool}_man_has_every_option" "no $BIN/$tool"
		continue
	fi
	if [ ! -r "$page" ]; then
		fail "${tool}_man_has_every_option" "no $page"
		continue
	fi
	missing=()
	text=$(sed 's/\\-/-/g' "$page")
	while IFS= read -r opt; do
		grep -qF -- "$opt" <<<"$text" || missing+=("$opt")
	done < <("$BIN/$tool" --help | help_options)
	if [ ${#missing[@]} -eq 0 ]; then
		pass "${tool}_man_has_every_option"
	else
		fail "${tool}_man_has_every_option" "not in $page: ${missing[*]}"
	fi
	if command -v groff >/dev/null; then
		warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
		if [ -z "$warn" ]; then
			pass "${tool}_man_renders"
		else
			fail "${tool}_man_renders" "$(head -c 200 <<<"$warn")"
		fi
	else
		skip "${tool}_man_renders" "no groff"
	fi
	for v in -V --version; do
		out=$("$BIN/$tool" "$v" 2>&1 | head -n1)
		if [[ $out == "$tool "[0-9]* ]]; then
			pass "${tool}_version${v//-/_}"
		else
			fail "${tool}_version${v//-/_}" "first line '$out'"
		fi
	done
done

# pointers into the contract: docs/abi.md, "SECTION" (and "A", "B", ...)
sections=$(sed -n 's/^## //p' "$WBPF_TOP/docs/abi.md")
bad=()
while IFS= read -r ref; do
	file=${ref%%:*}
	while IFS= read -r name; do
		grep -qxF -- "$name" <<<"$sections" || bad+=("$file: \"$name\"")
	done < <(grep -oE 'docs/abi\.md, ("[^"]+"(, )?)+' "$WBPF_TOP/$file" | grep -oE '"[^"]+"' | tr -d '"')
done < <(cd "$WBPF_TOP" && grep -rlE 'docs/abi\.md, "' --include='*.c' --include='*.h' --include='*.cc' \
	--include='*.def' --include='*.md' --include='*.sh' --include='*.mk' . | grep -v '^./build/' |
	sed 's|^\./||' | grep -vx 'tests/docs/run.sh')
if [ ${#bad[@]} -eq 0 ]; then
	pass "abi_pointers_lead_to_sections"
else
	fail "abi_pointers_lead_to_sections" "no such section: ${bad[*]}"
fi
