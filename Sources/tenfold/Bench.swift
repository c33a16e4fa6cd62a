import ArgumentParser

/// `tenfold bench`: measurements of the engine on this machine.
///
///     swift run -c release tenfold bench --kernels          # matmul GFLOP/s, kernel GB/s
///     swift run -c release tenfold bench --kernels --json   # one JSON record per line
///     swift run -c release tenfold bench --preset mini      # one BERT-A training step, timed
///     swift run -c release tenfold bench --preset mini --json   # torch_reference.py's fields
///
/// Introduced in Chapter 1 (Foundation); the training-step benchmark with the performance work.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark Tenfold's kernels on this machine (run from a release build).",
        discussion: """
        --kernels measures matrix products in GFLOP/s against a single raw cblas_sgemm call \
        (OpenBLAS with its own threads, and with one), and the bandwidth-bound kernels — \
        softmax, layer norm, GELU, dropout, elementwise arithmetic — in GB/s of bytes read \
        and written, beside the machine's memory bandwidth.

        --sgemm-peak measures the machine's SGEMM peak: the best raw cblas_sgemm on large \
        square products with OpenBLAS's own threads.

        --preset mini|small|base times the BERT-A masked-LM training step (forward, backward, \
        clipping, AdamW; --objective electra or mc-bert: chapter 5's steps; --notes: with \
        chapter 4's TNF on the input) on the shapes of the PyTorch reference step that scripts/bench_vs_torch.py runs: T=128, dropout 0.1, \
        the MLM head only at the 15% predicted positions. It reports the median, min and max \
        step time, the forward/backward/optimizer split, tokens/s, GFLOP per step and GFLOP/s, \
        peak resident memory, and where one step's time goes. For mlm and classify it adds how \
        fast the linear layers' products ran and, with --peak, the step's ceiling: its time if \
        every product ran at the peak and the rest of the step took what it took. With --json \
        it prints one line with the reference's field names, so scripts/bench_vs_torch.py can \
        compare the two.
        """
    )

    @Flag(help: "Measure matrix products and elementwise kernels.")
    var kernels = false

    @Flag(help: "Measure the machine's SGEMM peak (large square products, OpenBLAS's own threads).")
    var sgemmPeak = false

    @Option(help: "Time the training step of a preset: mini, small or base.")
    var preset: String?

    @Option(help: "With --preset: mlm (the pre-training step), electra or mc-bert (chapter 5's steps, with their helper network), or classify (a fine-tuning step on [CLS], two classes).")
    var objective = "mlm"

    @Flag(help: "With --preset and a pre-training objective: TNF's notes on the input (chapter 4), on the ids 5, 45, 85, … declared rare words of one token.")
    var notes = false

    @Flag(help: "Print one JSON record per measurement instead of tables.")
    var json = false

    @Option(help: "Timed training steps (with --preset; the median is reported).")
    var steps = 10

    @Option(help: "Untimed warm-up steps before them (with --preset).")
    var warmup = 3

    @Option(help: "The machine's SGEMM peak in GFLOP/s, to report the fraction achieved (with --preset).")
    var peak: Double?

    @Option(help: "Seconds to spend on each measurement (at least 3 runs each).")
    var seconds: Double = 0.3

    func validate() throws {
        guard kernels || sgemmPeak || preset != nil else {
            throw ValidationError("choose what to measure: --kernels, --sgemm-peak, or --preset mini|small|base for the training step")
        }
        if let preset, TrainingStepBenchmark.shapes[preset] == nil {
            throw ValidationError("unknown preset \"\(preset)\"; choose mini, small or base")
        }
        guard ["mlm", "electra", "mc-bert", "classify"].contains(objective) else {
            throw ValidationError("unknown --objective \"\(objective)\"; choose mlm, electra, mc-bert or classify")
        }
        if notes && (preset == nil || objective == "classify") {
            throw ValidationError("--notes times a pre-training step: use it with --preset and --objective mlm, electra or mc-bert")
        }
        // Upper bounds beyond any useful measurement, low enough that warm-up + steps cannot overflow.
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be in (0, 3600], got \(seconds)") }
        guard (1...1_000_000).contains(steps) else { throw ValidationError("--steps must be between 1 and 1000000, got \(steps)") }
        guard (0...1_000_000).contains(warmup) else { throw ValidationError("--warmup must be between 0 and 1000000, got \(warmup)") }
        if let peak, !(peak > 0 && peak.isFinite) { throw ValidationError("--peak must be a positive GFLOP/s figure, got \(peak)") }
    }

    func run() throws {
        if kernels {
            KernelBenchmark(secondsPerMeasurement: seconds, json: json).run()
        }
        if sgemmPeak {
            SgemmPeakBenchmark(secondsPerMeasurement: max(seconds, 1), json: json).run()
        }
        if let preset {
            try TrainingStepBenchmark(preset: preset, objective: objective, steps: steps, warmup: warmup, json: json,
                                      peak: peak, notes: notes).run()
        }
    }
}
