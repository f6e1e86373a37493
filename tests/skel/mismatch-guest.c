/* Defines the shared struct the native way: wrong on wasm32. */
struct user_cfg {
	long limit;
	void *cookie;
	int flags;
};
#include "mismatch.skel.h"

int main(void)
{
	return 0;
}
