import Foundation
import Tensors
import AtomicFiles

/// Everything a training run needs to continue exactly where it stopped: the parameters,
/// the AdamW moments, the model's state buffers, the step, the generator state and the
/// configuration — one safetensors file, written atomically.
///
///     var rng = SeededGenerator(seed: 42)
///     // … train to step 200 …
///     let checkpoint = try Checkpoint(
///         config: config, step: adam.step, rng: rng, parameters: store.values,
///         firstMoments: adam.firstMoments, secondMoments: adam.secondMoments)
///     try checkpoint.write(to: URL(fileURLWithPath: "out/step200.safetensors"))
///
///     // Later, or in another process, with the model built from the same configuration:
///     let resumed = try Checkpoint(contentsOf: url, matching: store.shapes)
///     store.load(resumed.parameters)
///     adam.restore(step: resumed.step, firstMoments: resumed.firstMoments,
///                  secondMoments: resumed.secondMoments)
///     rng = resumed.rng   // the same stream of draws as if the run had never stopped
///
/// The file, as any safetensors reader sees it:
///
/// - tensor `<name>` for each parameter, under the model's own name;
/// - tensors `optimizer.m.<name>` and `optimizer.v.<name>`: AdamW's first and second moments
///   of that parameter (same shape), for each parameter the optimizer has state for;
/// - tensors `state.<name>`: buffers of the model that are not parameters (no gradient, no
///   moments), such as chapter 4's note dictionary (`PretrainingModel.state`);
/// - metadata (strings, as the format requires):
///   - `tenfold.format` = `checkpoint`, `tenfold.version` = `3` (`Checkpoint.formatVersion`);
///   - `tenfold.config`: the configuration as JSON, keys sorted;
///   - `tenfold.step`: the number of optimizer steps taken, in decimal;
///   - `tenfold.rng`: the four xoshiro256** state words as a JSON array of decimal strings,
///     `["123…", …]` — strings, because JSON numbers above 2⁵³ lose digits in most readers;
///   - any other `metadata`, under its own keys (which must not start with `tenfold.`);
///   - `tenfold.crc32.data`: the CRC-32 of the data buffer (every tensor's bytes, as stored),
///     eight hexadecimal digits — `zlib.crc32(data)` in Python;
///   - `tenfold.crc32.metadata`: the CRC-32 of every other metadata entry (the configuration
///     and the vocabulary included), in byte-wise key order, each as key, NUL, value, NUL —
///     `zlib.crc32(b"".join(k.encode() + b"\0" + v.encode() + b"\0" for k, v in sorted(m.items())))`.
///
/// Reading verifies both checksums (`verifyingChecksums: false` skips them for huge files),
/// so a flipped bit in the weights, a token renamed in the vocabulary or a configuration edited
/// by hand is refused rather than silently used; and it refuses tensors holding NaN or ±∞,
/// which writing never stores.
///
/// Parameter names must not start with `optimizer.` or `state.`. Versions 1 and 2 are read
/// too, without checksums unless present: version 1, written before the model had seams, has no
/// `state.` tensors, and its configuration names the position scheme as `architecture`
/// (`ModelConfiguration` reads both).
/// Introduced in Chapter 1.
public struct Checkpoint {
    /// The version of the layout above that this code writes.
    public static let formatVersion = 3
    /// The versions it reads.
    public static let readableVersions = [1, 2, 3]
    /// The first version whose files must carry checksums.
    static let checksummedVersion = 3

    /// The metadata keys of the layout.
    public enum Key {
        public static let format = "tenfold.format"
        public static let version = "tenfold.version"
        public static let config = "tenfold.config"
        public static let step = "tenfold.step"
        public static let rng = "tenfold.rng"
        /// CRC-32 of the data buffer.
        public static let dataChecksum = "tenfold.crc32.data"
        /// CRC-32 of the other metadata entries.
        public static let metadataChecksum = "tenfold.crc32.metadata"
        /// Prefix reserved for the keys above.
        public static let reservedPrefix = "tenfold."
    }

    /// Tensor name prefixes of the optimizer's moments.
    public enum Prefix {
        public static let firstMoment = "optimizer.m."
        public static let secondMoment = "optimizer.v."
        /// Prefix reserved for optimizer state: no parameter name may start with it.
        public static let optimizer = "optimizer."
        /// Prefix of the model's state buffers: no parameter name may start with it either.
        public static let state = "state."
    }

    /// The model's parameters by name.
    public var parameters: [String: Tensor]
    /// AdamW's first moments m (running mean of gradients), by parameter name.
    public var firstMoments: [String: Tensor]
    /// AdamW's second moments v (running mean of squared gradients), by parameter name.
    public var secondMoments: [String: Tensor]
    /// The number of optimizer steps taken (also AdamW's bias-correction count).
    public var step: Int
    /// The model's buffers that are not parameters, by name (without the `state.` prefix).
    public var state: [String: Tensor]
    /// The generator to continue drawing from.
    public var rng: SeededGenerator
    /// The run's configuration as JSON (see `config(as:)`).
    public var configJSON: String
    /// Free-form strings stored beside the rest (for example the vocabulary).
    public var metadata: [String: String]

    /// A checkpoint from a configuration already in JSON.
    ///
    /// - Parameters:
    ///   - configJSON: the configuration, as JSON text.
    ///   - step: optimizer steps taken so far (≥ 0).
    ///   - rng: the generator state to resume from.
    ///   - parameters: the model's parameters by name.
    ///   - firstMoments, secondMoments: AdamW's m and v by parameter name (empty for none).
    ///   - state: the model's buffers by name (empty for none).
    ///   - metadata: extra strings; keys must not start with `tenfold.`.
    public init(configJSON: String, step: Int, rng: SeededGenerator, parameters: [String: Tensor],
                firstMoments: [String: Tensor] = [:], secondMoments: [String: Tensor] = [:],
                state: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.configJSON = configJSON
        self.step = step
        self.rng = rng
        self.parameters = parameters
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
        self.state = state
        self.metadata = metadata
    }

    /// A checkpoint whose configuration is any `Encodable` value, stored as JSON with sorted
    /// keys (so the same configuration always gives the same bytes).
    ///
    /// - Throws: `CheckpointError.invalidConfig` if `config` does not encode.
    public init<Config: Encodable>(config: Config, step: Int, rng: SeededGenerator,
                                   parameters: [String: Tensor],
                                   firstMoments: [String: Tensor] = [:],
                                   secondMoments: [String: Tensor] = [:],
                                   state: [String: Tensor] = [:],
                                   metadata: [String: String] = [:]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json: String
        do {
            json = String(decoding: try encoder.encode(config), as: UTF8.self)
        } catch {
            throw CheckpointError.invalidConfig(reason: "does not encode as JSON: \(error)")
        }
        self.init(configJSON: json, step: step, rng: rng, parameters: parameters,
                  firstMoments: firstMoments, secondMoments: secondMoments, state: state, metadata: metadata)
    }

    /// The configuration decoded as `Config`.
    ///
    /// - Throws: `CheckpointError.invalidConfig` if the JSON does not decode as `Config`.
    public func config<Config: Decodable>(as type: Config.Type) throws -> Config {
        if let (path, key) = DuplicateJSONKeys.first(in: Array(configJSON.utf8)) {
            throw CheckpointError.invalidConfig(reason: "holds the key \"\(key)\" twice in \(path), and JSON "
                                                    + "readers disagree about which one counts")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(configJSON.utf8))
        } catch {
            throw CheckpointError.invalidConfig(reason: "does not decode as \(type): \(error)")
        }
    }

    // MARK: Writing

    /// Writes the checkpoint atomically (see `AtomicFile`): `url` holds the previous
    /// checkpoint until the new one is complete on disk.
    ///
    /// - Parameter url: the destination; its folder must exist.
    /// - Throws: `CheckpointError` for reserved names, moments without a parameter or a
    ///   tensor holding NaN or ±∞, `AtomicFileError` when the system refuses the write.
    public func write(to url: URL) throws {
        let file = url.path
        var tensors = parameters
        let order = SafetensorsHeader.utf8Order
        for reserved in [Prefix.optimizer, Prefix.state] {
            if let name = parameters.keys.sorted(by: order).first(where: { $0.hasPrefix(reserved) }) {
                throw CheckpointError.reservedName(
                    file: file, name: name, reason: "starts with \"\(reserved)\", which "
                        + "is reserved for optimizer and model state and cannot begin a parameter name")
            }
        }
        if let key = metadata.keys.sorted(by: order).first(where: { $0.hasPrefix(Key.reservedPrefix) }) {
            throw CheckpointError.reservedName(
                file: file, name: key, reason: "starts with \"\(Key.reservedPrefix)\", which is "
                    + "reserved for the checkpoint's own metadata and cannot begin a metadata key")
        }
        try Self.checkMoments(first: firstMoments, second: secondMoments,
                              parameters: parameters, file: file)
        for (name, moment) in firstMoments { tensors[Prefix.firstMoment + name] = moment }
        for (name, moment) in secondMoments { tensors[Prefix.secondMoment + name] = moment }
        for (name, buffer) in state { tensors[Prefix.state + name] = buffer }
        try Self.checkFinite(tensors, file: file)

        var metadata = self.metadata
        metadata[Key.format] = "checkpoint"
        metadata[Key.version] = String(Self.formatVersion)
        metadata[Key.config] = configJSON
        metadata[Key.step] = String(step)
        metadata[Key.rng] = "[" + rng.stateWords.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        metadata[Key.metadataChecksum] = CRC32.hex(Self.metadataCRC32(metadata))
        metadata[Key.dataChecksum] = CRC32.hex(Self.dataCRC32(tensors))
        try SafetensorsFile(tensors: tensors, metadata: metadata).write(to: url)
    }

    // MARK: Reading

    /// Reads a checkpoint and checks its checksums, metadata, optimizer state and values.
    ///
    /// - Parameters:
    ///   - url: a file written by `write(to:)`.
    ///   - verifyingChecksums: false skips the CRC-32s (a pass over the whole file), for huge
    ///     files one trusts.
    /// - Throws: `SafetensorsError` for a damaged file, `CheckpointError` for a safetensors
    ///   file that is not a valid checkpoint.
    public init(contentsOf url: URL, verifyingChecksums: Bool = true) throws {
        try self.init(reading: SafetensorsFile(contentsOf: url, checksummingData: verifyingChecksums),
                      file: url.path, verifyingChecksums: verifyingChecksums)
    }

    /// The same for a whole file held in memory (`fileName` names it in errors).
    public init(parsing bytes: UnsafeRawBufferPointer, fileName: String, verifyingChecksums: Bool = true) throws {
        try self.init(reading: SafetensorsFile(parsing: bytes, fileName: fileName, checksummingData: verifyingChecksums),
                      file: fileName, verifyingChecksums: verifyingChecksums)
    }

    init(reading contents: SafetensorsFile, file: String, verifyingChecksums: Bool) throws {
        var metadata = contents.metadata
        func take(_ key: String) throws -> String {
            guard let value = metadata.removeValue(forKey: key) else {
                throw CheckpointError.notACheckpoint(file: file, missingKey: key)
            }
            return value
        }
        guard try take(Key.format) == "checkpoint" else {
            throw CheckpointError.notACheckpoint(file: file, missingKey: Key.format)
        }
        let version = try take(Key.version)
        guard let number = Int(version), Self.readableVersions.contains(number) else {
            throw CheckpointError.unsupportedVersion(file: file, found: version,
                                                     supported: Self.formatVersion)
        }
        if verifyingChecksums {
            try Self.verifyChecksums(contents, version: number, file: file)
        }
        metadata[Key.dataChecksum] = nil
        metadata[Key.metadataChecksum] = nil
        let configJSON = try take(Key.config)
        let stepText = try take(Key.step)
        guard let step = Int(stepText), step >= 0 else {
            throw CheckpointError.invalidMetadata(file: file, key: Key.step, value: stepText,
                                                  expected: "a whole number ≥ 0")
        }
        let rngText = try take(Key.rng)
        guard let rng = Self.parseGenerator(rngText) else {
            throw CheckpointError.invalidMetadata(
                file: file, key: Key.rng, value: rngText,
                expected: "a JSON array of 4 decimal strings, not all zero")
        }

        if let key = metadata.keys.sorted(by: SafetensorsHeader.utf8Order).first(where: { $0.hasPrefix(Key.reservedPrefix) }) {
            throw CheckpointError.invalidMetadata(
                file: file, key: key, value: metadata[key] ?? "",
                expected: "no such key (the \"\(Key.reservedPrefix)\" prefix is the checkpoint's own, and this "
                    + "version of Tenfold knows no key of that name)")
        }
        try Self.checkFinite(contents.tensors, file: file)

        var parameters: [String: Tensor] = [:]
        var first: [String: Tensor] = [:]
        var second: [String: Tensor] = [:]
        var state: [String: Tensor] = [:]
        for (name, tensor) in contents.tensors {
            if name.hasPrefix(Prefix.state) {
                state[String(name.dropFirst(Prefix.state.count))] = tensor
            } else if name.hasPrefix(Prefix.firstMoment) {
                first[String(name.dropFirst(Prefix.firstMoment.count))] = tensor
            } else if name.hasPrefix(Prefix.secondMoment) {
                second[String(name.dropFirst(Prefix.secondMoment.count))] = tensor
            } else if name.hasPrefix(Prefix.optimizer) {
                throw CheckpointError.inconsistentOptimizerState(
                    file: file, reason: "tensor \"\(name)\" is neither a first (optimizer.m.) "
                        + "nor a second (optimizer.v.) moment")
            } else {
                parameters[name] = tensor
            }
        }
        try Self.checkMoments(first: first, second: second, parameters: parameters, file: file)
        self.init(configJSON: configJSON, step: step, rng: rng, parameters: parameters,
                  firstMoments: first, secondMoments: second, state: state, metadata: metadata)
    }

    /// Reads a checkpoint and checks that its parameters are exactly the model's: the same
    /// names with the same shapes.
    ///
    /// - Parameters:
    ///   - url: a file written by `write(to:)`.
    ///   - expectedShapes: the model's parameter shapes by name.
    /// - Throws: as `init(contentsOf:)`, and `CheckpointError.mismatch` listing the first
    ///   few missing, unexpected and differently shaped parameters.
    public init(contentsOf url: URL, matching expectedShapes: [String: [Int]]) throws {
        try self.init(contentsOf: url)
        try check(matching: expectedShapes, file: url.path)
    }

    /// Checks that the parameters are exactly `expectedShapes`: the same names, same shapes.
    ///
    /// - Parameters:
    ///   - expectedShapes: the model's parameter shapes by name.
    ///   - file: how the error names the checkpoint.
    /// - Throws: `CheckpointError.mismatch`, names in byte-wise order.
    public func check(matching expectedShapes: [String: [Int]], file: String) throws {
        let order = SafetensorsHeader.utf8Order
        let missing = expectedShapes.keys.filter { parameters[$0] == nil }.sorted(by: order)
        let unexpected = parameters.keys.filter { expectedShapes[$0] == nil }.sorted(by: order)
        let shapes = expectedShapes.keys.sorted(by: order).compactMap { name in
            parameters[name].flatMap { tensor in
                tensor.shape == expectedShapes[name]! ? nil : CheckpointError.ShapeDifference(
                    name: name, model: expectedShapes[name]!, file: tensor.shape)
            }
        }
        if !missing.isEmpty || !unexpected.isEmpty || !shapes.isEmpty {
            throw CheckpointError.mismatch(file: file, missing: missing, unexpected: unexpected,
                                           shapes: shapes)
        }
    }

    // MARK: Helpers

    /// m and v name the same parameters, each existing, each of its parameter's shape.
    static func checkMoments(first: [String: Tensor], second: [String: Tensor],
                             parameters: [String: Tensor], file: String) throws {
        let order = SafetensorsHeader.utf8Order
        let unpaired = Set(first.keys).symmetricDifference(second.keys).sorted(by: order)
        if let name = unpaired.first {
            throw CheckpointError.inconsistentOptimizerState(
                file: file, reason: "parameter \"\(name)\" has only one of its two moments")
        }
        for name in first.keys.sorted(by: order) {
            guard let parameter = parameters[name] else {
                throw CheckpointError.inconsistentOptimizerState(
                    file: file, reason: "moments are stored for \"\(name)\", which is not a parameter")
            }
            for (label, moment) in [("first", first[name]!), ("second", second[name]!)]
            where moment.shape != parameter.shape {
                throw CheckpointError.inconsistentOptimizerState(
                    file: file, reason: "the \(label) moment of \"\(name)\" has shape "
                        + "\(moment.shape), the parameter \(parameter.shape)")
            }
        }
    }

    /// Compares the stored CRC-32s with those of what was read; from version 3 on, both
    /// must be there.
    static func verifyChecksums(_ contents: SafetensorsFile, version: Int, file: String) throws {
        let parts: [(key: String, what: String, computed: UInt32?)] = [
            (Key.metadataChecksum, "metadata (configuration, vocabulary, step)", metadataCRC32(contents.metadata)),
            (Key.dataChecksum, "tensor data", contents.dataCRC32),
        ]
        for part in parts {
            guard let stored = contents.metadata[part.key] else {
                if version >= checksummedVersion { throw CheckpointError.missingChecksum(file: file, key: part.key) }
                continue
            }
            if let computed = part.computed, stored != CRC32.hex(computed) {
                throw CheckpointError.checksumMismatch(file: file, part: part.what, stored: stored,
                                                       computed: CRC32.hex(computed))
            }
        }
    }

    /// The CRC-32 of the metadata entries other than the two checksums: key, NUL, value, NUL,
    /// in byte-wise key order.
    static func metadataCRC32(_ metadata: [String: String]) -> UInt32 {
        var crc = CRC32()
        for key in metadata.keys.sorted(by: SafetensorsHeader.utf8Order)
        where key != Key.dataChecksum && key != Key.metadataChecksum {
            crc.update(Array(key.utf8) + [0] + Array(metadata[key]!.utf8) + [0])
        }
        return crc.value
    }

    /// The CRC-32 of the data buffer `SafetensorsFile.write` lays out for `tensors`: their
    /// little-endian F32 bytes, back to back in byte-wise name order.
    static func dataCRC32(_ tensors: [String: Tensor]) -> UInt32 {
        var crc = CRC32()
        for name in tensors.keys.sorted(by: SafetensorsHeader.utf8Order) {
            tensors[name]!.withUnsafeBufferPointer { elements in
                #if _endian(little)
                crc.update(UnsafeRawBufferPointer(elements))
                #else
                crc.update(elements.flatMap { value -> [UInt8] in
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
                })
                #endif
            }
        }
        return crc.value
    }

    /// Refuses the first tensor (in byte-wise name order) that holds NaN or ±∞.
    static func checkFinite(_ tensors: [String: Tensor], file: String) throws {
        for name in tensors.keys.sorted(by: SafetensorsHeader.utf8Order) {
            let (first, count) = tensors[name]!.withUnsafeBufferPointer { elements -> (Int?, Int) in
                var first: Int?
                var count = 0
                for i in elements.indices where !elements[i].isFinite {
                    if first == nil { first = i }
                    count += 1
                }
                return (first, count)
            }
            if let first {
                throw CheckpointError.nonFiniteValues(file: file, tensor: name, index: first,
                                                      value: tensors[name]!.scalars[first], count: count)
            }
        }
    }

    /// `["w0","w1","w2","w3"]` → a generator, or nil.
    static func parseGenerator(_ text: String) -> SeededGenerator? {
        guard let strings = try? JSONDecoder().decode([String].self, from: Data(text.utf8)),
              strings.count == 4 else { return nil }
        let words = strings.compactMap { UInt64($0) }
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        return SeededGenerator(state: words)
    }
}
