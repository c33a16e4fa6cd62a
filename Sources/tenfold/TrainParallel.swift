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
