import Foundation
import Text
import Transformer
import DataParallel

extension Train {
    /// Joins a run to the other ranks: this rank's rows of every batch, the communicator for
    /// the updates, and a check that every rank starts from the same configuration, data and
    /// update (so none trains on its own).
    static func attach(_ communicator: GradientCommunicator?, to run: PretrainingRun) throws {
        let ranks = run.configuration.ranks ?? 1
        guard let communicator else {
            if ranks > 1 {
                throw ConfigurationError(message: "this run was trained on \(ranks) ranks; resume it with mpirun -np \(ranks) and a tenfold built with make build-mpi")
            }
            return
        }
        guard ranks == communicator.size else {
            throw ConfigurationError(message: "this run was trained on \(ranks) rank(s), not \(communicator.size); resume it with mpirun -np \(ranks)")
        }
        let share = run.configuration.globalBatchSize / communicator.size
        run.trainer.communicator = communicator
        run.trainer.rows = (communicator.rank * share)..<((communicator.rank + 1) * share)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var bytes = Array(try encoder.encode(run.configuration))
        bytes += Array("\(run.trainer.completedSteps)".utf8)
        let fingerprint = bytes.withUnsafeBytes { Shard.checksum($0) }
        try DataParallel.checkAgreement(communicator, fingerprint: fingerprint,
                                        what: "the run's configuration, data or starting update")
    }
}

extension Train {
    /// The median update time of this process, tokens per second over all ranks in the updates
    /// alone and over the whole run, and the median time of the gradient sums: what `make
    /// test-mpi` and the scaling measurements read.
    static func timing(_ trainer: Trainer) -> String? {
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
        }
        guard !trainer.updateSeconds.isEmpty else { return nil }
        var line = String(format: "Timing: median update %.3f s over %d updates", median(trainer.updateSeconds),
                          trainer.updateSeconds.count)
        // The updates' own rate (batch and step) against the whole run's (validation, checkpoints,
        // metrics and progress included): how much the run around the step costs.
        let perUpdate = Double(trainer.runTokens) / Double(trainer.updateSeconds.count)
        let stepRate = perUpdate / median(trainer.updateSeconds)
        line += String(format: "; %.0f tokens/s in the updates alone", stepRate)
        if trainer.runSeconds > 0 {
            let runRate = Double(trainer.runTokens) / trainer.runSeconds
            line += String(format: ", %.0f tokens/s over the whole run (%.0f%%: validation, checkpoints and metrics included)",
                           runRate, 100 * runRate / stepRate)
        }
        if !trainer.allreduceSeconds.isEmpty {
            line += String(format: ", gradient allreduce %.3f s per update (median)", median(trainer.allreduceSeconds))
        }
        return line + "."
    }
}
