import Foundation
import AtomicFiles

/// Appends one JSON object per update to `metrics.jsonl`.
///
/// Resuming after update k keeps the lines of updates 1…k and drops any later ones (they
/// belonged to the interrupted part of the run and will be recomputed).
///
/// Every line is whole or absent: an append that fails (a full disk) takes back what it
/// wrote and throws a `FileError`, so the run stops cleanly with its last checkpoint intact.
/// JSON has no NaN or infinity: such values are written as the strings `"NaN"`, `"Infinity"`
/// and `"-Infinity"` (what the `json` module of Python writes bare), and read back.
/// Introduced in Chapter 1.
public final class MetricsLog {
    public let url: URL
    private let handle: FileHandle
    /// The length of the file's whole lines: where a failed append is cut back to.
    private var length: UInt64

    /// Opens (or creates) the log; with `keepingThrough: k`, earlier lines of updates ≤ k are kept.
    ///
    /// - Throws: `FileError` or `AtomicFileError` when the file cannot be written.
    public init(url: URL, keepingThrough step: Int = 0) throws {
        self.url = url
        var kept: [StepMetrics] = []
        if step > 0, let data = try? Data(contentsOf: url) {
            kept = MetricsLog.parse(data).filter { $0.step <= step }
        }
        let text = try kept.flatMap(MetricsLog.line)
        try AtomicFile.write(Data(text), to: url)
        do {
            handle = try FileHandle(forWritingTo: url)
            length = try handle.seekToEnd()
        } catch {
            throw FileError(path: url.path, action: "open", error)
        }
    }

    /// Reads every metrics line of a log (lines that do not parse are skipped).
    public static func read(_ url: URL) -> [StepMetrics] {
        (try? Data(contentsOf: url)).map(parse) ?? []
    }

    static func parse(_ data: Data) -> [StepMetrics] {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = nonFinite.decoding
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? decoder.decode(StepMetrics.self, from: Data($0.utf8))
        }
    }

    /// Appends one update's line, whole or not at all.
    ///
    /// - Throws: `FileError` naming the file and the system's reason.
    public func append(_ m: StepMetrics) throws {
        let line = try MetricsLog.line(m)
        do {
            try handle.write(contentsOf: line)
            length += UInt64(line.count)
        } catch {
            // Take back a partly written line; if even that fails, the reader skips a torn last line.
            try? handle.truncate(atOffset: length)
            throw FileError(path: url.path, action: "append to", error,
                            advice: "Free some disk space, then continue with --resume from the last checkpoint.")
        }
    }

    /// How non-finite numbers are spelled.
    static let nonFinite = (
        encoding: JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN"),
        decoding: JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN"))

    /// One metrics record as a JSON line with sorted keys: `encodedLine`'s bytes, written
    /// directly when every name and the event are plain (the case of every update of a run).
    /// `JSONEncoder` took about 75 µs a line, a quarter of a percent of a chapter-preset run.
    static func line(_ m: StepMetrics) throws -> [UInt8] {
        try fastLine(m) ?? encodedLine(m)
    }

    /// The line `JSONEncoder` writes for `m`, built by hand; nil when a metric's name holds
    /// anything but lower-case letters and underscores, or the event anything JSON escapes:
    /// their escaping and key order are left to `JSONEncoder`. A test compares the two on
    /// random records.
    static func fastLine(_ m: StepMetrics) -> [UInt8]? {
        let names = m.metrics.keys.map { $0 } + (m.validationMetrics?.keys.map { $0 } ?? [])
        guard names.allSatisfy({ $0.utf8.allSatisfy(isNameCharacter) }),
              m.event?.utf8.allSatisfy(isPlainCharacter) ?? true else { return nil }
        var s = "{"
        if let event = m.event { s += "\"event\":\"\(event)\"," }
        s += "\"grad_norm\":" + number(m.gradientNorm) + ",\"learning_rate\":" + number(m.learningRate)
        s += ",\"loss\":" + number(m.loss)
        if !m.metrics.isEmpty { s += ",\"metrics\":" + object(m.metrics) }
        s += ",\"step\":\(m.step),\"tokens_per_s\":" + number(m.tokensPerSecond)
        if let v = m.validationLoss { s += ",\"validation_loss\":" + number(v) }
        if let v = m.validationMetrics { s += ",\"validation_metrics\":" + object(v) }
        s += "}\n"
        return Array(s.utf8)
    }

    /// Metric names the fast path writes: lower-case letters and underscores, whose
    /// order is the same however `JSONEncoder` compares keys.
    private static func isNameCharacter(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || c == UInt8(ascii: "_")
    }

    /// Event text the fast path writes: printable ASCII that JSON does not escape.
    private static func isPlainCharacter(_ c: UInt8) -> Bool {
        (0x20...0x7E).contains(c) && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") && c != UInt8(ascii: "/")
    }

    /// A number as `JSONEncoder` spells it: the shortest digits that read back, without a
    /// trailing ".0"; NaN and the infinities as the strings `nonFinite` names.
    private static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ x: F) -> String {
        if x.isNaN { return "\"NaN\"" }
        if x.isInfinite { return x < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        let text = x.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    private static func object(_ values: [String: Float]) -> String {
        "{" + values.sorted { $0.key < $1.key }.map { "\"\($0.key)\":" + number($0.value) }.joined(separator: ",") + "}"
    }

    /// The reference: `JSONEncoder` with sorted keys.
    static func encodedLine(_ m: StepMetrics) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = nonFinite.encoding
        return Array(try encoder.encode(m)) + [0x0A]
    }

    deinit { try? handle.close() }
}
