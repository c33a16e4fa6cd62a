import Foundation
import AtomicFiles

/// When a long run checkpoints and which checkpoints it keeps (`tenfold train --keep-last`).
///
///     configuration.checkpoints = CheckpointPolicy(keepLast: 3, keepBest: true, minutes: 30)
///
/// With a policy, each checkpoint is a file of its own, `checkpoints/step-0000100.safetensors`,
/// written atomically every `TrainingSettings.checkpointInterval` updates, after the last,
/// and whenever `minutes` have passed since the previous one; after each write only the
/// `keepLast` newest remain, plus (with `keepBest`) the one with the lowest validation loss
/// seen when it was written. `checkpoint.safetensors` becomes a link to the newest, so
/// `tenfold predict --checkpoint DIR/checkpoint.safetensors` keeps working. Without a policy
/// a run keeps the single `checkpoint.safetensors` it always had.
/// Introduced for full-scale training (issue 23).
public struct CheckpointPolicy: Codable, Equatable, Sendable {
    /// K: how many of the newest checkpoints remain.
    public var keepLast: Int
    /// Whether the checkpoint with the best validation loss remains too.
    public var keepBest: Bool
    /// M: also checkpoint when this many minutes have passed since the last one; nil never.
    public var minutes: Double?

    public init(keepLast: Int, keepBest: Bool = true, minutes: Double? = nil) {
        self.keepLast = keepLast; self.keepBest = keepBest; self.minutes = minutes
    }
}

/// The `checkpoints/` folder of a run: writing under a `CheckpointPolicy`, and finding the
/// newest checkpoint that reads back whole. Introduced for full-scale training (issue 23).
public struct CheckpointFolder {
    /// What `index.json` records of each checkpoint kept.
    public struct Entry: Codable, Equatable, Sendable {
        public var step: Int
        public var file: String
        public var validationLoss: Float?
    }

    /// The run's folder.
    public let run: URL
    public var folder: URL { run.appendingPathComponent("checkpoints") }
    var indexURL: URL { folder.appendingPathComponent("index.json") }

    public init(run: URL) { self.run = run }

    public static func fileName(step: Int) -> String { String(format: "step-%07d.safetensors", step) }

    /// The entries of `index.json` (empty when it is missing or unreadable).
    public func entries() -> [Entry] {
        guard let data = try? Data(contentsOf: indexURL) else { return [] }
        return (try? JSONDecoder().decode([Entry].self, from: data)) ?? []
    }

    /// Writes `checkpoint` for update `step`, then keeps what `policy` keeps and points
    /// `checkpoint.safetensors` at it. Every file is replaced atomically.
    public func write(_ checkpoint: Checkpoint, step: Int, validationLoss: Float?, policy: CheckpointPolicy) throws {
        let name = Self.fileName(step: step)
        try AtomicFile.createFolder(containing: folder.appendingPathComponent(name))
        try checkpoint.write(to: folder.appendingPathComponent(name))
        var entries = entries().filter { $0.step != step && $0.step < step }
        entries.append(Entry(step: step, file: name, validationLoss: validationLoss))
        var kept = Set(entries.suffix(max(1, policy.keepLast)).map(\.step))
        if policy.keepBest, let best = entries.filter({ $0.validationLoss?.isFinite == true })
            .min(by: { $0.validationLoss! < $1.validationLoss! }) {
            kept.insert(best.step)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(entries.filter { kept.contains($0.step) }), to: indexURL)
        for entry in entries where !kept.contains(entry.step) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(entry.file))
        }
        // The link is replaced by a rename too, so a reader never finds it missing.
        let link = run.appendingPathComponent("checkpoint.safetensors")
        let temporary = try AtomicFile.temporaryURL(beside: link)
        try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: "checkpoints/" + name)
        try AtomicFile.moveIntoPlace(temporary, link)
    }

    /// The newest checkpoint that reads back whole: the step files newest first, then the
    /// run's own `checkpoint.safetensors`; each damaged one is reported through `warn` and
    /// passed over. Nil when there is none at all.
    /// - Throws: the newest one's error when every checkpoint is damaged.
    public func newestIntact(verifyingChecksums: Bool = true, warn: (String) -> Void) throws -> (url: URL, checkpoint: Checkpoint)? {
        let fileManager = FileManager.default
        let names = ((try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("step-") && $0.hasSuffix(".safetensors") }.sorted(by: >)
        var candidates = names.map { folder.appendingPathComponent($0) }
        let single = run.appendingPathComponent("checkpoint.safetensors")
        if candidates.isEmpty, fileManager.fileExists(atPath: single.path) { candidates.append(single) }
        var firstError: Error?
        for (k, url) in candidates.enumerated() {
            do {
                return (url, try Checkpoint(contentsOf: url, verifyingChecksums: verifyingChecksums))
            } catch {
                firstError = firstError ?? error
                let next = k + 1 < candidates.count ? "trying \(candidates[k + 1].lastPathComponent)" : "no older checkpoint is left"
                warn("warning: \(url.lastPathComponent) is damaged (\(error)); \(next).")
            }
        }
        if let firstError { throw firstError }
        return nil
    }
}
