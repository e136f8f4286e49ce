"""
Checks ONNX files with the ONNX project's own checker (onnx.checker.check_model with
full_check=True, which also runs strict shape inference), as a second opinion beside the tests'
ONNX Runtime. Needs Python 3 and the onnx package (Debian: apt-get install python3-onnx, version
1.12: IR version 8, opset 17); without them it says so and exits 0, so nothing depends on it.

Usage: python3 scripts/check-onnx.py FILE.onnx... (scripts/check-onnx.ts exports the models to
check and calls this). Exits 1 when a file fails the check.
"""
import sys

try:
    import onnx
except ImportError:
    print("check-onnx: skipped (needs the Python package onnx; on Debian: apt-get install python3-onnx)")
    sys.exit(0)

failed = 0
for path in sys.argv[1:]:
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        ops = sorted({node.op_type for node in model.graph.node})
        print(f"ok      {path}  (IR {model.ir_version}, opset {model.opset_import[0].version}: {' '.join(ops)})")
    except Exception as e:  # the checker's own exceptions and protobuf's decode errors
        failed += 1
        print(f"FAILED  {path}: {str(e).strip().splitlines()[0]}")
print(f"check-onnx: onnx {onnx.__version__}, {len(sys.argv) - 1 - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
