import Foundation

/// The `main` of every fuzzing harness (Tests/Fuzz/Fuzz*): `body` receives one input's bytes
/// and must not trap on any of them.
///
/// Built with `-DFUZZING` and `-sanitize=fuzzer,address` (scripts/fuzz.sh), this hands
/// control to libFuzzer's driver, which takes libFuzzer's own flags (a corpus folder,
/// `-max_total_time=60`, …). Built normally, it replays the files named on the command line
/// and prints "replayed N inputs" — how `make test` runs the committed corpora.
///
/// Through `LLVMFuzzerRunDriver` rather than libFuzzer's `main`, because SwiftPM gives an
/// executable target's own `main` the program's entry point.
public func runFuzzHarness(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
    harness = body
    #if FUZZING
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        harness(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    })
    #else
    let paths = CommandLine.arguments.dropFirst()
    for path in paths {
        do {
            try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { harness($0) }
        } catch {
            print("cannot read \(path): \(error)")
            exit(1)
        }
    }
    print("replayed \(paths.count) inputs")
    exit(0)
    #endif
}

/// The harness libFuzzer's callback calls (a C function pointer cannot capture it).
nonisolated(unsafe) private var harness: (UnsafeRawBufferPointer) -> Void = { _ in }

#if FUZZING
/// libFuzzer's entry point for programs with their own `main` (LLVM 11 and later).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif
