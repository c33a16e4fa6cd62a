import ArgumentParser
import Autograd
import Foundation
import BertBaseline
import Tensors
import Transformer
import Finetuning
import Text
import Catalog
import MetaController
import NoteTaking

/// `tenfold bench --preset mini|small|base [--objective mlm|electra|mc-bert|classify]`: one BERT-A
/// training step, timed.
///
/// The step is `Trainer.update` itself — forward, backward, global-norm clipping, AdamW,
/// zeroing the gradients — on the preset's benchmark shapes (`ModelPreset.benchmark`, those
/// of the PyTorch reference step): T = 128, dropout 0.1, round(0.15·T) = 19 predicted
/// positions per sequence (BERT's 80/10/10 corruption, [MASK] = id 4), the MLM head evaluated
/// only at those positions, AdamW from η = 1e-4 decaying linearly (the time does not depend on
/// η), λ = 0.01, ε = 1e-6. Token ids are uniform over 5…V−1, as the reference draws them.
/// Both sides clip gradients to global norm 1 and have no token-type embedding; one small
/// difference costs Tenfold time: its queries, keys and values are three products instead of
/// one.
///
/// FLOPs are counted with the reference's formula (matrix products only, backward = 2×
/// forward), so GFLOP/s and the step time compare directly with `torch_reference.py`.
///
/// `--objective electra` and `--objective mc-bert` time chapter 5's steps (Sources/MetaController)
/// on the same ids: the corruption is the objective's (ELECTRA 85% [MASK] / 15% unchanged,
/// MC-BERT all [MASK]) at the same 19 positions per sequence, and the step includes the helper
/// network (generator or meta controller, width w = 64 at mini), its sampling and the main
/// model's head. Their FLOPs add to the main encoder's, by the same formula: the helper's
/// encoder (`6·L·(its parameters per layer)·B·T` plus its attention products) and its input
/// projection (`6·B·T·H·w`); for ELECTRA the generator's head at the N picked rows
/// (`6·N·(w·H + H·V)`) and the discriminator's head at every token (`6·B·T·(H² + H)`); for
/// MC-BERT the projected table (`6·V·H·w`), the controller's head at the picked rows
/// (`6·N·(w² + w·V)`), its forward-only pass over every token for the samples
/// (`2·B·T·(w² + w·V)`), the main head's transform (`6·B·T·H²`) and the K = 10 candidate scores
/// (`6·B·T·K·H`). The sampling itself (a softmax and a search per row) is not a product and is
/// not counted.
///
/// `--notes` adds chapter 4's TNF on the main encoder's input seam (`NoteTaking`, its default
/// k = 16, γ = 0.1, λ = 0.5): the note mixing at intact rare-word occurrences in the forward
/// pass, and the dictionary's update from the final hidden states after the optimizer step
/// (timed with the optimizer, where `Trainer.update` runs it). Uniform random ids have no words
/// and no frequencies, so the benchmark declares them, as `torch_reference.py --notes` does:
/// every token is a word of its own (word spans of one token), and the ids 5, 45, 85, … — one
/// id in 40 (`rareIdStride`) — are the rare words (205 at V = 8192, about 2.5% of the tokens,
/// near the 2.2% of word occurrences that the embedded corpus's default 10–20 band covers). The
/// same batch every step means every rare word has a note after the first. The JSON line adds
/// the notes' own time per step (`notes_s_median`: mixing and update, the mixing's backward
/// pass not included), the rare words and the last step's noted and mixed occurrences. FLOPs
/// are unchanged: the notes run no matrix product (`TrainingFLOPs`' small `notes` term is left
/// out, as the reference leaves out every other elementwise pass).
struct TrainingStepBenchmark {
    var preset: String
    /// "mlm", "electra", "mc-bert" (pre-training) or "classify" (a fine-tuning step of `Finetuner.update`).
    var objective = "mlm"
    var steps: Int
    var warmup: Int
    var json: Bool
    var peak: Double?
    /// TNF's notes on the input seam (pre-training objectives).
    var notes = false
    var seed: UInt64 = 1

    /// `--notes`: the ids 5, 5 + 40, 5 + 80, … are rare words of one token.
    static let rareIdStride = 40

    struct Shape { var L: Int, H: Int, A: Int, F: Int, V: Int, T: Int, B: Int }

    /// The presets the benchmark times, by name, with their shapes.
    static let shapes: [String: Shape] = Dictionary(uniqueKeysWithValues: ModelConfiguration.presets.compactMap { p in
        p.benchmark.map { (p.name, Shape(L: p.layers, H: p.hiddenSize, A: p.heads, F: p.feedForwardSize,
                                         V: $0.vocabularySize, T: p.maxSequenceLength, B: $0.batchSize)) }
    })

    /// A data source that serves the same batch at every update.
    struct FixedBatch: TrainingData {
        let batch: TrainingBatch
        func trainingBatch(step: Int) -> TrainingBatch { batch }
        var validationBatches: [TrainingBatch] { [] }
    }

    /// What one timed step measured.
    struct StepTiming {
        var forward: Double, backward: Double, optimizer: Double, total: Double, loss: Float
        /// Seconds in the notes' mixing and update (0 without notes).
        var notes = 0.0
    }

    /// An input augmentation that times another one's `augment` and `observe`, and counts the
    /// occurrences TNF noted and mixed in the last step.
    final class TimedNotes: InputAugmentation {
        let notes: NoteTaking
        var seconds = 0.0
        private(set) var noted = 0, mixed = 0

        init(_ notes: NoteTaking) { self.notes = notes }

        func augment(_ embeddings: Variable, input: ModelInput, isTraining: Bool) -> Variable {
            let (t0, before) = (BenchTiming.now(), notes.mixedOccurrences)
            defer { seconds += BenchTiming.now() - t0; mixed = notes.mixedOccurrences - before }
            return notes.augment(embeddings, input: input, isTraining: isTraining)
        }

        func observe(hidden: Tensor, input: ModelInput) {
            let (t0, before) = (BenchTiming.now(), notes.notedOccurrences)
            notes.observe(hidden: hidden, input: input)
            seconds += BenchTiming.now() - t0
            noted = notes.notedOccurrences - before
        }

        var state: [String: Tensor] { notes.state }
        func restore(state: [String: Tensor]) throws { try notes.restore(state: state) }
    }

    func run() throws {
        guard let s = Self.shapes[preset] else {
            throw ValidationError("unknown preset \"\(preset)\"; choose mini, small or base")
        }
        var config = ModelConfiguration.preset(preset, vocabularySize: s.V)!
        // The pre-training model by name (BERT-A with the objective), built before the batch:
        // its objective's masking policy corrupts it.
        var model: PretrainingModel? = nil
        if objective != "classify" {
            config.objective = objective
            model = try ModelRegistry.standard.makeModel(config, seed: seed)
        }
        let batch = Self.batch(s, seed: seed, policy: model?.objective.maskingPolicy ?? .bert, wordSpans: notes)
        let timedNotes = notes ? TimedNotes(Self.noteTaking(s, batch: batch)) : nil
        model?.encoder.input = timedNotes
        let parameters: [Parameter]
        let step: (@escaping (Trainer.Phase) -> Void) -> Float
        switch objective {
        case "classify":
            // The same ids, one class per sequence: [CLS] (position 0) → pooler → 2 classes.
            let classifier = try SequenceClassifier(config: config, positions: AbsolutePositions.factory,
                                                    kind: .classification(labels: ["0", "1"]), seed: seed)
            var rng = SeededGenerator(seed: SeededGenerator.mix(seed, 0xC1A55))
            let labels = (0..<s.B).map { _ in GLUELabel.category(Int(rng.next() % 2)) }
            let finetuner = Finetuner(tokenizer: try WordPieceTokenizer.embedded(), settings: FinetuningSettings())
            let optimizer = AdamW()
            var t = 0
            parameters = classifier.parameters.parameters
            step = { phase in
                t += 1
                var dropoutRNG: SeededGenerator? = SeededGenerator(seed: SeededGenerator.mix(seed, UInt64(t)))
                return finetuner.update(classifier, optimizer: optimizer, input: batch.input, labels: labels,
                                        learningRate: 1e-4, dropout: &dropoutRNG, phase: phase)
            }
        default:
            let model = model!
            let settings = TrainingSettings(steps: warmup + steps + 1, peakLearningRate: 1e-4, warmupSteps: 0,
                                            validationInterval: Int.max, seed: seed)
            let trainer = Trainer(model: model, settings: settings, data: FixedBatch(batch: batch))
            parameters = model.parameters.parameters
            step = { phase in trainer.update(step: trainer.completedSteps + 1, batch: batch, phase: phase).loss }
        }
        if !json {
            print("Tenfold training-step benchmark (\(objective)\(notes ? ", with TNF's notes" : "")), preset \(preset): L=\(s.L) H=\(s.H) A=\(s.A) F=\(s.F) V=\(s.V) T=\(s.T) B=\(s.B), \(Parallel.threadCount) threads; \(warmup) warm-up steps, then \(steps)")
        }

        func trainingStep(profiler: OperationProfiler? = nil) -> StepTiming {
            var marks: [Trainer.Phase: Double] = [:]
            timedNotes?.seconds = 0
            let loss = step { phase in
                marks[phase] = BenchTiming.now()
                switch phase {
                case .forward: OperationProfiler.active = profiler; profiler?.mark()
                case .update: OperationProfiler.active = nil
                case .backward, .finished: break
                }
            }
            let (t0, t1, t2, t3) = (marks[.forward]!, marks[.backward]!, marks[.update]!, marks[.finished]!)
            return StepTiming(forward: t1 - t0, backward: t2 - t1, optimizer: t3 - t2, total: t3 - t0, loss: loss,
                              notes: timedNotes?.seconds ?? 0)
        }

        let warmStart = BenchTiming.now()
        var firstStep = 0.0
        for i in 0..<warmup {
            let timing = trainingStep()
            if i == 0 { firstStep = timing.total }
            if !json { print("  warm-up step \(i + 1): \(format(timing.total)) s") }
        }
        let warmupTotal = BenchTiming.now() - warmStart
        var timings: [StepTiming] = []
        for i in 0..<steps {
            timings.append(trainingStep())
            if !json { print("  step \(i + 1)/\(steps): \(format(timings.last!.total)) s, loss \(timings.last!.loss)") }
        }
        // One more step, profiled by operation (not counted in the medians above).
        // The same step also measures how long the cores waited inside parallel regions.
        let profiler = OperationProfiler()
        let idle = IdleMeter()
        IdleMeter.active = idle
        let profiled = trainingStep(profiler: profiler)
        IdleMeter.active = nil

        let predictions = objective == "classify" ? s.B : batch.targets.labels.count
        let flops = try TrainingFLOPs(config, batchSize: s.B, length: s.T, predictions: predictions, objective: objective)
        let totals = timings.map(\.total).sorted()
        let median = Self.median(totals)
        let peakMemory = Self.peakResidentMegabytes()
        var result = BenchResult(
            config: preset, impl: "tenfold", objective: objective, threads: Parallel.threadCount, dropout: 0.1,
            paramsTotal: parameters.reduce(0) { $0 + $1.variable.value.count },
            stepSMedian: median, stepSMin: totals.first!, stepSMax: totals.last!,
            fwdSMedian: Self.median(timings.map(\.forward)), bwdSMedian: Self.median(timings.map(\.backward)),
            optSMedian: Self.median(timings.map(\.optimizer)),
            firstStepS: firstStep, warmupTotalS: warmupTotal,
            tokensPerS: Double(s.B * s.T) / median,
            gflopStepExecuted: flops.total / 1e9, gflopStepModel: flops.total / 1e9,
            gflopBreakdownExecuted: flops.breakdown.mapValues { $0 / 1e9 },
            achievedGflopsExecuted: flops.total / median / 1e9, achievedGflopsModel: flops.total / median / 1e9,
            nPred: predictions, lossLast: timings.last!.loss,
            peakRssMb: peakMemory,
            profileS: Self.categories(profiler, step: profiled), notes: notes)
        if let ceiling = ProductCeiling(objective: objective, breakdown: flops.breakdown, profile: result.profileS) {
            result.productGflop = ceiling.productGFLOP
            result.productS = ceiling.productSeconds
            result.restS = ceiling.restSeconds
            if let peak {
                result.stepBoundS = ceiling.boundSeconds(peak: peak)
                result.mfuBound = ceiling.boundShare(totalGFLOP: flops.total / 1e9, peak: peak)
            }
        }
        if let timedNotes {
            result.notesSMedian = Self.median(timings.map(\.notes))
            result.rareWords = timedNotes.notes.rareWords.count
            result.notedOccurrences = timedNotes.noted
            result.mixedOccurrences = timedNotes.mixed
        }
        if let peak {
            result.peakGflops = peak
            result.mfuExecuted = result.achievedGflopsExecuted / peak
            result.mfuModel = result.mfuExecuted
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            report(result, profiler: profiler, profiled: profiled, idle: idle)
        }
    }

    // MARK: The batch

    /// B sequences of T uniform ids in 5…V−1; in each, round(0.15·T) distinct positions are
    /// predicted, and corrupted as `policy` says: 80% [MASK] / 10% random / 10% unchanged for
    /// BERT (the reference's batch), 85/0/15 for ELECTRA, all [MASK] for MC-BERT — the same
    /// positions and draws for every policy. With `wordSpans`, every token is a word of its own
    /// (for `--notes`).
    static func batch(_ s: Shape, seed: UInt64, policy: MaskingPolicy = .bert, wordSpans: Bool = false) -> TrainingBatch {
        let (maskShare, randomShare) = (Float(policy.maskShare), Float(policy.maskShare + policy.randomShare))
        var rng = SeededGenerator(seed: SeededGenerator.mix(seed, 0xBA7C4))
        let predictionsPerSequence = Int((0.15 * Double(s.T)).rounded())
        var ids = (0..<(s.B * s.T)).map { _ in Int32(5 + Int.random(in: 0..<(s.V - 5), using: &rng)) }
        var positions: [Int32] = [], labels: [Int32] = []
        for b in 0..<s.B {
            var order = Array(0..<s.T)
            for i in stride(from: s.T - 1, to: 0, by: -1) { order.swapAt(i, Int.random(in: 0...i, using: &rng)) }
            for t in order.prefix(predictionsPerSequence).sorted() {
                let flat = b * s.T + t
                positions.append(Int32(flat))
                labels.append(ids[flat])
                let r = rng.nextFloat()
                if r < maskShare { ids[flat] = 4 } else if r < randomShare { ids[flat] = Int32(5 + Int.random(in: 0..<(s.V - 5), using: &rng)) }
            }
        }
        let spans = wordSpans ? Array(repeating: (0..<s.T).map { WordSpan(start: Int32($0), end: Int32($0 + 1)) }, count: s.B) : nil
        let input = ModelInput(ids: ids, batchSize: s.B, length: s.T, lengths: Array(repeating: s.T, count: s.B),
                               wordSpans: spans, maskedPositions: positions, maskedOriginals: labels)
        return TrainingBatch(input: input, targets: MaskedTargets(positions: positions, labels: labels))
    }

    /// TNF with its default settings on the benchmark's rare words: the ids 5, 5 + 40, … (see
    /// the type's notes), each counted in the batch's original ids.
    static func noteTaking(_ s: Shape, batch: TrainingBatch) -> NoteTaking {
        let words = stride(from: 5, to: s.V, by: rareIdStride).map { [Int32($0)] }
        var counts = [Int32: Int]()
        for id in batch.input.originalIds { counts[id, default: 0] += 1 }
        let settings = NoteTaking.Settings()
        let rare = RareWords(band: settings.band, words: words, counts: words.map { counts[$0[0], default: 0] })
        return NoteTaking(settings: settings, rareWords: rare, width: s.H)
    }

    // MARK: Counting

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The process's peak resident set so far, in MiB (getrusage; Linux reports KiB).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / (1024 * 1024)
        #endif
    }

    // MARK: Profile

    /// The profiled step's seconds by category: matrix products of the linear layers and the
    /// vocabulary projection (with the biases and their gradients, and the GELU fused into
    /// `linearGELU`); attention (the fused core: its per-head products, softmax and dropout —
    /// or, unfused, the batched products, softmax, dropout, head split and merge); other
    /// elementwise work (LayerNorm, dropout, embeddings, the loss, gradient sums); the
    /// optimizer (clipping norm and AdamW); and what is left of the step.
    static func categories(_ profiler: OperationProfiler, step: StepTiming) -> [String: Double] {
        var result = ["matmul": 0.0, "attention": 0, "elementwise": 0, "optimizer": step.optimizer]
        for entry in profiler.entries {
            result[category(of: entry), default: 0] += entry.forwardSeconds + entry.backwardSeconds
        }
        let accounted = result.values.reduce(0, +)
        result["other"] = max(0, step.total - accounted)
        return result
    }

    static func category(of entry: OperationProfiler.Entry) -> String {
        switch entry.name {
        case "matmul": return entry.rank == 4 ? "attention" : "matmul"
        // linearGELU's GELU pass is a few percent of its time; the rest is its products.
        case "linear", "linearGELU": return "matmul"
        case "attentionSoftmax", "splitHeads", "mergeHeads", "fusedAttention": return "attention"
        case "dropout": return entry.rank == 4 ? "attention" : "elementwise"
        default: return "elementwise"
        }
    }

    // MARK: Report

    private func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    private func report(_ r: BenchResult, profiler: OperationProfiler, profiled: StepTiming, idle: IdleMeter) {
        print("""

        step time      median \(format(r.stepSMedian)) s (min \(format(r.stepSMin)), max \(format(r.stepSMax)))
          forward \(format(r.fwdSMedian)) s · backward \(format(r.bwdSMedian)) s · optimizer \(format(r.optSMedian)) s
        throughput     \(Int(r.tokensPerS.rounded())) tokens/s
        work           \(String(format: "%.1f", r.gflopStepExecuted)) GFLOP per step → \(String(format: "%.1f", r.achievedGflopsExecuted)) GFLOP/s\(r.mfuExecuted.map { String(format: " (%.0f%% of the %.0f GFLOP/s peak)", $0 * 100, r.peakGflops!) } ?? "")
        peak memory    \(String(format: "%.0f", r.peakRssMb)) MiB resident
        loss           \(r.lossLast) (log V = \(String(format: "%.3f", log(Double(Self.shapes[preset]!.V)))))

        """)
        if let seconds = r.notesSMedian, let words = r.rareWords {
            print("""
            notes          \(format(seconds)) s per step in TNF's mixing and update (\(String(format: "%.1f", 100 * seconds / r.stepSMedian))% of the step); \
            \(words) rare words, \(r.notedOccurrences ?? 0) occurrences noted and \(r.mixedOccurrences ?? 0) mixed in the last step

            """)
        }
        print("profile of one more step (\(format(profiled.total)) s), by category:")
        for (name, seconds) in r.profileS.sorted(by: { $0.value > $1.value }) {
            print("  \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(format(seconds)) s  \(String(format: "%5.1f", 100 * seconds / profiled.total))%")
        }
        if let products = r.productGflop, let seconds = r.productS, let rest = r.restS {
            var line = String(format: "  the products: %.1f GFLOP in %.3f s, %.1f GFLOP/s", products, seconds, products / seconds)
            if let peak = r.peakGflops { line += String(format: " (%.0f%% of the peak)", 100 * products / seconds / peak) }
            line += String(format: "; the rest of the step %.3f s", rest)
            if let bound = r.stepBoundS, let share = r.mfuBound {
                line += String(format: ". With every product at the peak and the rest as it is, a step would take %.3f s: "
                               + "at most %.0f%% of the peak", bound, 100 * share)
            }
            print(line)
        }
        if Parallel.threadCount > 1 {
            print("""
              in \(idle.regions) parallel regions (\(format(idle.wallSeconds)) s) the \(Parallel.threadCount) cores waited \
            \(format(idle.idleSeconds)) s of their \(format(idle.offeredSeconds)) s \
            (\(String(format: "%.1f", 100 * idle.idleSeconds / max(idle.offeredSeconds, 1e-9)))%)
            """)
        }
        print("\nslowest operations (forward + backward):")
        for entry in profiler.entries.prefix(12) {
            let label = "\(entry.name) (rank \(entry.rank), ×\(entry.calls))"
            print("  \(label.padding(toLength: 34, withPad: " ", startingAt: 0)) fwd \(format(entry.forwardSeconds)) s  bwd \(format(entry.backwardSeconds)) s")
        }
    }
}

/// One line of `tenfold bench --preset … --json`, with torch_reference.py's field names.
struct BenchResult: Encodable {
    var config: String
    var impl: String
    var objective: String
    var threads: Int
    var dropout: Double
    var paramsTotal: Int
    var stepSMedian: Double, stepSMin: Double, stepSMax: Double
    var fwdSMedian: Double, bwdSMedian: Double, optSMedian: Double
    var firstStepS: Double, warmupTotalS: Double
    var tokensPerS: Double
    var gflopStepExecuted: Double, gflopStepModel: Double
    var gflopBreakdownExecuted: [String: Double]
    var achievedGflopsExecuted: Double, achievedGflopsModel: Double
    var nPred: Int
    var lossLast: Float
    var peakRssMb: Double
    var profileS: [String: Double]
    var notes: Bool
    /// With notes: their own seconds per step, the rare words, the last step's occurrences.
    var notesSMedian: Double?
    var rareWords: Int?
    var notedOccurrences: Int?
    var mixedOccurrences: Int?
    var peakGflops: Double?
    var mfuExecuted: Double?
    var mfuModel: Double?
    /// The linear layers' products (mlm and classify): their GFLOP and their seconds in the
    /// profiled step, and the seconds of the rest of that step; with a peak, the step's lower
    /// bound and its share of the peak.
    var productGflop: Double?
    var productS: Double?
    var restS: Double?
    var stepBoundS: Double?
    var mfuBound: Double?

    enum CodingKeys: String, CodingKey {
        case config, impl, objective, threads, dropout
        case paramsTotal = "params_total"
        case stepSMedian = "step_s_median", stepSMin = "step_s_min", stepSMax = "step_s_max"
        case fwdSMedian = "fwd_s_median", bwdSMedian = "bwd_s_median", optSMedian = "opt_s_median"
        case firstStepS = "first_step_s", warmupTotalS = "warmup_total_s"
        case tokensPerS = "tokens_per_s"
        case gflopStepExecuted = "gflop_step_executed", gflopStepModel = "gflop_step_model"
        case gflopBreakdownExecuted = "gflop_breakdown_executed"
        case achievedGflopsExecuted = "achieved_gflops_executed", achievedGflopsModel = "achieved_gflops_model"
        case nPred = "n_pred", lossLast = "loss_last", peakRssMb = "peak_rss_mb", profileS = "profile_s"
        case notes, notesSMedian = "notes_s_median", rareWords = "rare_words"
        case notedOccurrences = "noted_occurrences", mixedOccurrences = "mixed_occurrences"
        case peakGflops = "peak_gflops", mfuExecuted = "mfu_executed", mfuModel = "mfu_model"
        case productGflop = "product_gflop", productS = "product_s", restS = "rest_s", stepBoundS = "step_bound_s", mfuBound = "mfu_bound"
    }
}

/// How close to the SGEMM peak a step could come if only its matrix products got faster: the
/// products' FLOPs at the peak, plus everything else in the step (attention's core, the
/// elementwise passes, the optimizer) taking the time it took in the profiled step.
///
///     let c = ProductCeiling(productGFLOP: 85.6, productSeconds: 0.480, restSeconds: 0.076)
///     c.boundSeconds(peak: 205)                          // 85.6 / 205 + 0.076 = 0.494 s
///     c.boundShare(totalGFLOP: 92.0, peak: 205)          // 92.0 / 0.494 / 205 = 91%
///
/// The profile's "matmul" category times the linear layers with their biases and linearGELU's
/// fused GELU, so their seconds include a little elementwise work; the bound leaves that work
/// out and is therefore, if anything, optimistic: no step can beat it without a faster attention
/// core or faster elementwise passes. Only for `mlm` and `classify`, whose counted products are
/// exactly the operations the "matmul" category times; ELECTRA's and MC-BERT's helpers run
/// products (sampling, candidate scores) that the profile files elsewhere.
struct ProductCeiling {
    var productGFLOP: Double
    var productSeconds: Double
    var restSeconds: Double

    /// The step's seconds with every product at `peak` GFLOP/s and the rest unchanged.
    func boundSeconds(peak: Double) -> Double { productGFLOP / peak + restSeconds }

    /// The largest share of `peak` such a step could reach.
    func boundShare(totalGFLOP: Double, peak: Double) -> Double { totalGFLOP / boundSeconds(peak: peak) / peak }
}

extension ProductCeiling {
    /// The ceiling of a profiled step, or nil for objectives whose products the profile files
    /// elsewhere (or a profile without products).
    /// - Parameters:
    ///   - breakdown: `TrainingFLOPs.breakdown` of the step, in FLOPs.
    ///   - profile: the profiled step's seconds by category (`TrainingStepBenchmark.categories`).
    init?(objective: String, breakdown: [String: Double], profile: [String: Double]) {
        guard ["mlm", "classify"].contains(objective), let seconds = profile["matmul"], seconds > 0 else { return nil }
        let products = breakdown.filter { !$0.key.hasSuffix("attention") && $0.key != "notes" }.values.reduce(0, +)
        self.init(productGFLOP: products / 1e9, productSeconds: seconds,
                  restSeconds: max(0, profile.values.reduce(0, +) - seconds))
    }
}
