import ArgumentParser

/// `tenfold bench`: measurements of the engine on this machine.
///
///     swift run -c release tenfold bench --kernels          # matmul GFLOP/s, kernel GB/s
///     swift run -c release tenfold bench --kernels --json   # one JSON record per line
///
/// Each kind of benchmark is a flag, so the training-step benchmark (`--preset mini|small|
/// base`, issue 8) joins as one more option and one more runner beside `KernelBenchmark`.
/// Introduced in Chapter 1 (Foundation).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark Tenfold's kernels on this machine (run from a release build).",
        discussion: """
        --kernels measures matrix products in GFLOP/s against a single raw cblas_sgemm call
        (OpenBLAS with its own threads, and with one), and the bandwidth-bound kernels —
        softmax, layer norm, GELU, dropout, elementwise arithmetic — in GB/s of bytes read
        and written, beside the machine's memory bandwidth.
        """
    )

    @Flag(help: "Measure matrix products and elementwise kernels.")
    var kernels = false

    @Flag(help: "Print one JSON record per measurement instead of tables.")
    var json = false

    @Option(help: "Seconds to spend on each measurement (at least 3 runs each).")
    var seconds: Double = 0.3

    func validate() throws {
        guard kernels else {
            throw ValidationError("choose what to measure: --kernels (the training-step benchmark, --preset, comes later)")
        }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive, got \(seconds)") }
    }

    func run() throws {
        if kernels {
            KernelBenchmark(secondsPerMeasurement: seconds, json: json).run()
        }
    }
}
