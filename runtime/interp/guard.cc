// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A load-time rewrite for a defect of wabt 1.0.32's interpreter: when a
 * call_indirect finds the call stack full, the interpreter records the "call
 * stack exhausted" trap but goes on with the next instruction as if the call
 * had returned (fixed upstream after 1.0.32, wabt pull request #2464). A
 * direct call is checked correctly. So before every call_indirect the module
 * gets a direct call of an added empty function: it needs the very frame the
 * indirect callee would take, so when the stack is full it is the direct call
 * that traps, with the right message, before the call_indirect runs.
 * Nothing else changes: the new function is last (no index moves), the new
 * type too, and the empty call has no effect on values or memory.
 */
#include <errno.h>

#include <memory>

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/cast.h>
#include <wabt/error-formatter.h>
#include <wabt/feature.h>
#include <wabt/ir.h>
#include <wabt/stream.h>

#include "interp.h"

using namespace wabt;

namespace {

void guard_list(ExprList &exprs, Index probe)
{
	for (auto it = exprs.begin(); it != exprs.end(); ++it) {
		switch (it->type()) {
		case ExprType::Block:
			guard_list(cast<BlockExpr>(&*it)->block.exprs, probe);
			break;
		case ExprType::Loop:
			guard_list(cast<LoopExpr>(&*it)->block.exprs, probe);
			break;
		case ExprType::If: {
			IfExpr *e = cast<IfExpr>(&*it);

			guard_list(e->true_.exprs, probe);
			guard_list(e->false_, probe);
			break;
		}
		case ExprType::Try: {
			TryExpr *e = cast<TryExpr>(&*it);

			guard_list(e->block.exprs, probe);
			for (Catch &c : e->catches)
				guard_list(c.exprs, probe);
			break;
		}
		case ExprType::CallIndirect:
		case ExprType::ReturnCallIndirect:
			exprs.insert(it, std::make_unique<CallExpr>(Var(probe, it->loc)));
			break;
		default:
			break;
		}
	}
}

} // namespace

int wbpf_interp_guard_calls(const char *path, const std::vector<uint8_t> &in,
			    std::vector<uint8_t> *out, std::string *err)
{
	Features features;
	ReadBinaryOptions ropts(features, nullptr, false, true, false);
	WriteBinaryOptions wopts(features, true, false, false);
	Errors errors;
	Module m;
	MemoryStream ms;

	if (Failed(ReadBinaryIr(path, in.data(), in.size(), ropts, &errors, &m))) {
		*err = FormatErrorsToString(errors, Location::Type::Binary);
		return -EINVAL;
	}

	auto type = std::make_unique<TypeModuleField>();
	type->type = std::make_unique<FuncType>();
	m.AppendField(std::move(type));
	Index type_idx = (Index)m.types.size() - 1;

	auto fn = std::make_unique<FuncModuleField>();
	fn->func.decl.has_func_type = true;
	fn->func.decl.type_var = Var(type_idx, Location());
	m.AppendField(std::move(fn));
	Index probe = (Index)m.funcs.size() - 1;

	for (Func *f : m.funcs)
		guard_list(f->exprs, probe);

	if (Failed(WriteBinaryModule(&ms, &m, wopts))) {
		*err = "cannot write the guarded module";
		return -EINVAL;
	}
	*out = std::move(ms.output_buffer().data);
	return 0;
}
