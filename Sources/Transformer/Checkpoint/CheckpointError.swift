/// What can be wrong with a checkpoint beyond its safetensors framing (that is
/// `SafetensorsError`): missing or malformed metadata, inconsistent optimizer state, or
/// tensors that do not fit the model at hand. Each message names the file and says what to do.
///
///     do {
///         let checkpoint = try Checkpoint(contentsOf: url, matching: model.parameterShapes)
///     } catch let error as CheckpointError {
///         print(error)   // "checkpoint run.safetensors does not match the model: missing …"
///     }
///
/// Introduced in Chapter 1.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// A parameter whose shape differs between the model and the file.
    public struct ShapeDifference: Equatable, Sendable {
        public var name: String
        public var model: [Int]
        public var file: [Int]

        public init(name: String, model: [Int], file: [Int]) {
            self.name = name
            self.model = model
            self.file = file
        }
    }

    /// A safetensors file without Tenfold's checkpoint metadata.
    case notACheckpoint(file: String, missingKey: String)
    /// A checkpoint from a newer (or unknown) version of the format.
    case unsupportedVersion(file: String, found: String, supported: Int)
    /// A metadata entry that does not parse.
    case invalidMetadata(file: String, key: String, value: String, expected: String)
    /// First and second moments that do not pair up with each other or with the parameters.
    case inconsistentOptimizerState(file: String, reason: String)
    /// A tensor or metadata name that would collide with the checkpoint's own naming.
    case reservedName(file: String, name: String, reason: String)
    /// The configuration could not be encoded or decoded as JSON.
    case invalidConfig(reason: String)
    /// The file's parameters differ from the model's: names missing from the file, names
    /// the model does not have, and shapes that disagree.
    case mismatch(file: String, missing: [String], unexpected: [String], shapes: [ShapeDifference])
    /// A checksum the format requires is absent.
    case missingChecksum(file: String, key: String)
    /// A stored checksum differs from that of the bytes read: the file is damaged or edited.
    case checksumMismatch(file: String, part: String, stored: String, computed: String)
    /// A tensor holds NaN or ±∞ (at `index`, `count` such values in all).
    case nonFiniteValues(file: String, tensor: String, index: Int, value: Float, count: Int)
    /// A configuration that decodes but cannot be used: a value out of range, sizes that do
    /// not fit together or do not fit in memory, a vocabulary of another size.
    case invalidConfiguration(file: String, reason: String)
    /// A checkpoint taken after some updates, without AdamW's moments: it can predict and be
    /// exported, but resuming would restart the optimizer from nothing.
    case missingOptimizerState(file: String, step: Int)

    /// How many names of each kind a mismatch message lists before "and N more".
    static let listed = 5

    public var description: String {
        switch self {
        case let .missingChecksum(file, key):
            return "checkpoint \(file) has no \"\(key)\" entry, which its format version requires: the file was "
                + "edited or damaged. Use another copy, or load it without verifying (--skip-checksums) if you trust it."
        case let .checksumMismatch(file, part, stored, computed):
            return "checkpoint \(file) is damaged: its \(part) does not match the stored checksum (stored \(stored), "
                + "computed \(computed)). Use another copy or an earlier checkpoint; a file edited on purpose can be "
                + "loaded with --skip-checksums."
        case let .nonFiniteValues(file, tensor, index, value, count):
            return "checkpoint \(file): tensor \"\(tensor)\" holds \(value) at element \(index) (\(count) non-finite "
                + "value\(count == 1 ? "" : "s") in all); the weights of a run that diverged are not usable. Use an "
                + "earlier checkpoint, or train again with a lower learning rate."
        case let .invalidConfiguration(file, reason):
            return "checkpoint \(file) cannot be used: \(reason). The checkpoint was edited or written by another "
                + "program; use another checkpoint or start a fresh run."
        case let .missingOptimizerState(file, step):
            return "checkpoint \(file) was taken after \(step) updates but holds no optimizer state (AdamW's moments), "
                + "so the run cannot resume exactly; it can still predict and be exported. Start a fresh run instead."
        case let .notACheckpoint(file, key):
            return "\(file) is a safetensors file but not a Tenfold checkpoint: its metadata has "
                + "no \"\(key)\" entry. Load it with SafetensorsFile, or save the run again "
                + "with Checkpoint.write."
        case let .unsupportedVersion(file, found, supported):
            return "\(file) is a checkpoint of format version \(found); this Tenfold reads "
                + "versions 1 to \(supported). Use the Tenfold version that wrote it."
        case let .invalidMetadata(file, key, value, expected):
            return "\(file): metadata \"\(key)\" is \"\(value.prefix(80))\", expected \(expected). "
                + "The checkpoint is corrupt or was edited by hand; use another checkpoint."
        case let .inconsistentOptimizerState(file, reason):
            return "checkpoint \(file): the optimizer state is inconsistent: \(reason). Save the "
                + "run with one moment pair (optimizer.m.<name>, optimizer.v.<name>) of the "
                + "parameter's shape for each optimised parameter."
        case let .reservedName(file, name, reason):
            return "cannot write checkpoint \(file): \"\(name)\" \(reason); rename it."
        case let .invalidConfig(reason):
            return "the checkpoint's configuration (metadata \"\(Checkpoint.Key.config)\") "
                + "\(reason). Check that the configuration type matches the one the run was "
                + "saved with."
        case let .mismatch(file, missing, unexpected, shapes):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing " + Self.list(missing)) }
            if !unexpected.isEmpty { parts.append("unexpected " + Self.list(unexpected)) }
            for difference in shapes.prefix(Self.listed) {
                parts.append("shape of \(difference.name) is \(difference.model) here, "
                             + "\(difference.file) in the file")
            }
            if shapes.count > Self.listed {
                parts.append("and \(shapes.count - Self.listed) more shape differences")
            }
            return "checkpoint \(file) does not match the model: " + parts.joined(separator: "; ")
                + ". Build the model with the configuration the checkpoint was saved with "
                + "(its metadata \"\(Checkpoint.Key.config)\"), or start a fresh run."
        }
    }

    /// "a, b, c, d, e (and 3 more)".
    static func list(_ names: [String]) -> String {
        let shown = names.prefix(listed).joined(separator: ", ")
        return names.count > listed ? shown + " (and \(names.count - listed) more)" : shown
    }
}
