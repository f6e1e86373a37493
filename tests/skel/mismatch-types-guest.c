/* Takes the struct from the skeleton (--types user_cfg): right on wasm32. */
#include "mismatch.skel.h"

int main(void)
{
	struct mismatch_bpf *skel = mismatch_bpf__open();

	return skel && skel->rodata->cfg.limit == 10 ? 0 : 1;
}
