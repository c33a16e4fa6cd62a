import Foundation
import Transformer
#if MPI
import CMPI
#endif

/// Data-parallel training over MPI (Open MPI), opt-in: built only with the package trait
/// `MPI` (`swift build -c release --traits MPI`, or `make build-mpi`), so that a plain build
/// needs no MPI at all.
///
///     if let communicator = try DataParallel.start() {     // nil in a single process
///         trainer.communicator = communicator
///     }
///
/// Every rank runs the same `tenfold train` with the same arguments (`mpirun -np N …`); each
/// builds only its rows of every batch, the gradients are summed with `MPI_Allreduce`
/// (bucketed), and every rank applies the same AdamW update (`Trainer.accumulatedUpdate`).
/// Introduced for full-scale training (issue 23).
public enum DataParallel {
    /// Whether this build can train over MPI.
    public static var isAvailable: Bool {
        #if MPI
        return true
        #else
        return false
        #endif
    }

    /// The ranks mpirun announced in the environment (1 when not launched by mpirun).
    public static var launchedRanks: Int {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"].lazy.compactMap { environment[$0].flatMap(Int.init) }.first ?? 1
    }

    /// Joins the other ranks when launched by mpirun with more than one process; nil otherwise.
    /// - Throws: `DataParallelError.notBuiltWithMPI` when mpirun started several copies of a
    ///   build without the trait (they would each train alone).
    public static func start() throws -> GradientCommunicator? {
        #if MPI
        let communicator = MPICommunicator()
        if communicator.size == 1 {
            communicator.finish()
            return nil
        }
        return communicator
        #else
        if launchedRanks > 1 { throw DataParallelError.notBuiltWithMPI(ranks: launchedRanks) }
        return nil
        #endif
    }

    /// Checks that every rank holds the same `fingerprint` (a hash of its configuration and
    /// starting step): each rank compares rank 0's value with its own, and all learn whether
    /// any rank differed, so either every rank goes on or every rank stops.
    /// - Throws: `DataParallelError.ranksDisagree` on every rank when one differs.
    public static func checkAgreement(_ communicator: GradientCommunicator, fingerprint: UInt64, what: String) throws {
        // Four 16-bit pieces, exact in a Double; the sum over ranks equals size × piece
        // only if every rank holds the same piece... or a mixture that balances out, which
        // the second sum (of each rank's own verdict) catches.
        let pieces = (0..<4).map { Double((fingerprint >> (16 * UInt64($0))) & 0xFFFF) }
        var sums = pieces
        communicator.sum(&sums)
        let mine = zip(sums, pieces).allSatisfy { $0 == Double(communicator.size) * $1 }
        var verdicts = [mine ? 0.0 : 1.0]
        communicator.sum(&verdicts)
        if verdicts[0] > 0 {
            throw DataParallelError.ranksDisagree(what: what, ranks: communicator.size, differing: Int(verdicts[0]))
        }
    }
}

/// Why data-parallel training cannot start.
public enum DataParallelError: Error, CustomStringConvertible, Equatable {
    case notBuiltWithMPI(ranks: Int)
    case ranksDisagree(what: String, ranks: Int, differing: Int)

    public var description: String {
        switch self {
        case .notBuiltWithMPI(let ranks):
            return "mpirun started \(ranks) copies of a tenfold built without MPI; build it with make build-mpi (swift build -c release --traits MPI) and run .build/release/tenfold."
        case .ranksDisagree(let what, let ranks, let differing):
            return "the \(ranks) ranks disagree on \(what) (\(differing) of them see it otherwise than the rest); start every rank with the same arguments and the same files."
        }
    }
}

#if MPI
/// `GradientCommunicator` over `MPI_COMM_WORLD`.
final class MPICommunicator: GradientCommunicator {
    let rank: Int
    let size: Int
    private var finished = false

    init() {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 { MPI_Init(nil, nil) }
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(tenfold_mpi_world(), &r)
        MPI_Comm_size(tenfold_mpi_world(), &s)
        rank = Int(r)
        size = Int(s)
        atexit { MPICommunicator.finalize() }
    }

    func sum(_ buffer: UnsafeMutableBufferPointer<Float>) {
        var offset = 0
        while offset < buffer.count {   // MPI counts are Int32
            let n = min(buffer.count - offset, Int(Int32.max))
            MPI_Allreduce(tenfold_mpi_in_place(), buffer.baseAddress! + offset, Int32(n), tenfold_mpi_float(),
                          tenfold_mpi_sum(), tenfold_mpi_world())
            offset += n
        }
    }

    func sum(_ values: inout [Double]) {
        values.withUnsafeMutableBufferPointer { buffer in
            _ = MPI_Allreduce(tenfold_mpi_in_place(), buffer.baseAddress, Int32(buffer.count), tenfold_mpi_double(),
                              tenfold_mpi_sum(), tenfold_mpi_world())
        }
    }

    func gather(_ values: [Float]) -> [Float] {
        var result = [Float](repeating: 0, count: values.count * size)
        values.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                _ = MPI_Allgather(source.baseAddress, Int32(values.count), tenfold_mpi_float(),
                                  target.baseAddress, Int32(values.count), tenfold_mpi_float(), tenfold_mpi_world())
            }
        }
        return result
    }

    func finish() { Self.finalize() }

    static func finalize() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized == 0 { MPI_Finalize() }
    }
}
#endif
