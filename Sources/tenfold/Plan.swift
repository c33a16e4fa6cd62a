import ArgumentParser
import Foundation
import Transformer
import Catalog
import DataParallel

/// `tenfold plan`: what a data-parallel pre-training run costs, from the FLOPs of an update,
/// the compute rate of one machine and a model of the gradient allreduce.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate a long pre-training run: FLOPs per update, allreduce time and wall time on N ranks.",
        discussion: """
        Prints the update's FLOPs (TrainingFLOPs: matrix products, backward = 2 × forward), the \
        gradient's size, and for 1, 2, 4 … --ranks machines the time of one update: compute \
        divided over the ranks plus a ring allreduce of the gradient, 2(N − 1)/N × bytes / \
        bandwidth + 2(N − 1) × latency (no overlap with the backward pass), then the wall time \
        of --updates updates. Started under mpirun with several ranks (a build with \
        make build-mpi), --measure first times MPI_Allreduce of the gradient's size between \
        them and uses the bandwidth it measured.

        Examples:
          tenfold plan --preset base --ranks 16
          tenfold plan --preset base --method tupe-r+notes+mc-bert
          mpirun -np 2 .build/release/tenfold plan --preset base --ranks 2 --measure
        """)

    @Option(help: "Model size: \(ModelConfiguration.presetNames.joined(separator: ", ")).")
    var preset = "base"

    @Option(help: "The seams, joined by + (chapter 6): e.g. tupe-r+notes+mc-bert; its helper network's FLOPs and parameters count.")
    var method = "bert-a"

    @Option(help: "The largest number of ranks (machines) to plan for.")
    var ranks = 16

    @Option(help: "Sequences per update (BERT's 256).")
    var batchSize = 256

    @Option(help: "Tokens per sequence (BERT's 512).")
    var length = 512

    @Option(help: "Vocabulary size (BERT's 30522).")
    var vocabularySize = 30522

    @Option(help: "Updates of the run (BERT's 1 000 000).")
    var updates = 1_000_000

    @Option(help: "Training GFLOP/s one rank sustains (default: base measured on the project's 2-core machine, 559 GFLOP in 3.18 s).")
    var gflops = TrainingPlan.measuredGFLOPs

    @Option(help: "Allreduce bandwidth between ranks in GB/s (default: measured between 2 ranks on the project's machine).")
    var bandwidth = TrainingPlan.measuredBandwidth

    @Option(help: "Latency of one allreduce message in microseconds.")
    var latency = 50.0

    @Flag(help: "Under mpirun: measure the allreduce bandwidth between the ranks first.")
    var measure = false

    func validate() throws {
        guard ModelConfiguration.presetNames.contains(preset) else {
            throw ValidationError("unknown --preset '\(preset)'; choose one of \(ModelConfiguration.presetNames.joined(separator: ", "))")
        }
        guard ranks >= 1, batchSize >= 1, length >= 8, updates >= 1, vocabularySize >= 16 else {
            throw ValidationError("--ranks, --batch-size, --updates must be at least 1, --length at least 8, --vocabulary-size at least 16")
        }
        do { _ = try SeamChoice(parsing: method) } catch { throw ValidationError("--method: \(error)") }
        guard gflops > 0, bandwidth > 0, latency >= 0 else { throw ValidationError("--gflops and --bandwidth must be positive, --latency not negative") }
    }

    func run() throws {
        let seams = try SeamChoice(parsing: method)
        let config = seams.applied(to: ModelConfiguration.preset(preset, vocabularySize: vocabularySize)!)
        var plan = try TrainingPlan(config, batchSize: batchSize, length: length, gflops: gflops, bandwidth: bandwidth,
                                    latency: latency)
        let (flops, parameters, bytes, predictions) = (plan.flops, plan.parameters, plan.gradientBytes,
                                                       Int((0.15 * Double(batchSize * length)).rounded()))
        var bandwidth = self.bandwidth
        let communicator = try DataParallel.start()
        let lead = (communicator?.rank ?? 0) == 0
        if measure {
            guard let communicator else {
                throw ValidationError("--measure needs several ranks: mpirun -np 2 tenfold plan --measure (a build with make build-mpi)")
            }
            bandwidth = Self.measureBandwidth(communicator, scalars: parameters)
            plan.bandwidth = bandwidth
            if lead {
                print(String(format: "Measured: MPI_Allreduce of %.0f MB (the gradient) between %d ranks: %.2f GB/s of bus bandwidth.",
                             bytes / 1e6, communicator.size, bandwidth))
            }
        }
        guard lead else { return }
        print(String(format: "%@, %@ (L=%d H=%d), %d parameters: %.1f M, a gradient of %.0f MB.", seams.displayName, preset, config.layers,
                     config.hiddenSize, parameters, Double(parameters) / 1e6, bytes / 1e6))
        print(String(format: "One update of %d × %d tokens (%d predictions): %.1f TFLOP", batchSize, length, predictions,
                     flops.total / 1e12))
        let parts = flops.breakdown.sorted { $0.value > $1.value }
            .map { String(format: "%@ %.0f%%", $0.key, 100 * $0.value / flops.total) }.joined(separator: ", ")
        print("  (\(parts))")
        print(String(format: "Assumed: %.0f GFLOP/s per rank, allreduce at %.2f GB/s with %.0f µs per message.",
                     gflops, bandwidth, latency))
        print("")
        print("ranks  compute/update  allreduce/update  update   speed-up  efficiency  \(updates) updates")
        let single = plan.update(ranks: 1).total
        for n in TrainingPlan.rankCounts(upTo: ranks) {
            let (compute, allreduce, update) = plan.update(ranks: n)
            print(String(format: "%5d  %12.2f s  %14.3f s  %6.2f s  %8.2f  %9.0f%%  %@", n, compute, allreduce, update,
                         single / update, 100 * single / update / Double(n), TrainingPlan.duration(update * Double(updates))))
        }
    }

    /// Bus bandwidth of `MPI_Allreduce` on `scalars` floats in Tenfold's buckets: the
    /// median of 5 timed rounds after one warm-up.
    static func measureBandwidth(_ communicator: GradientCommunicator, scalars: Int) -> Double {
        var buffer = [Float](repeating: 1, count: scalars)
        var times: [Double] = []
        for round in 0..<6 {
            let start = Date()
            buffer.withUnsafeMutableBufferPointer { all in
                var offset = 0
                while offset < all.count {
                    let n = min(1 << 22, all.count - offset)
                    communicator.sum(UnsafeMutableBufferPointer(rebasing: all[offset..<(offset + n)]))
                    offset += n
                }
            }
            if round > 0 { times.append(Date().timeIntervalSince(start)) }
        }
        var seconds = [times.sorted()[times.count / 2]]
        communicator.sum(&seconds)   // every rank uses the same mean
        let n = Double(communicator.size)
        return 2 * (n - 1) / n * Double(scalars * 4) / (seconds[0] / n) / 1e9
    }
}
