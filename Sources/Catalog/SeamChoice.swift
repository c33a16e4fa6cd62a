import Foundation
import Transformer
import NoteTaking

/// One choice on each of the model's three seams, written the way chapter 6 writes a method:
/// the registry's names joined by `+`, a seam left out keeping BERT's choice.
///
///     let combined = try SeamChoice(parsing: "tupe-r+notes+mc-bert")
///     combined.positions    // "tupe-r"
///     combined.input        // "notes"
///     combined.objective    // "mc-bert"
///     try SeamChoice(parsing: "bert-a")           // BERT-A: bert-a, none, mlm
///
/// Parts are trimmed and lowercased; each must be a name of exactly one seam in the registry;
/// an empty part, an unknown name or two names for one seam is refused with a sentence that
/// names it. Introduced in Chapter 6.
public struct SeamChoice: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A position scheme (chapters 1–3).
    public var positions: String
    /// An input augmentation, or `none` (chapter 4).
    public var input: String
    /// A pre-training objective (chapters 1 and 5).
    public var objective: String

    public init(positions: String = "bert-a", input: String = ModelConfiguration.noInput, objective: String = "mlm") {
        self.positions = positions; self.input = input; self.objective = objective
    }

    public init(parsing text: String, registry: ModelRegistry = .standard) throws {
        self.init()
        var named: [String: String] = [:]   // seam → the part that named it
        for raw in text.split(separator: "+", omittingEmptySubsequences: false) {
            let part = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard !part.isEmpty else {
                throw SeamChoiceError(message: "\"\(text)\" has an empty part; write the seams' names joined by +, e.g. tupe-r+notes+mc-bert")
            }
            let seam: String
            if registry.positionNames.contains(part) { seam = "position scheme"; positions = part }
            else if registry.inputNames.contains(part) && part != ModelConfiguration.noInput { seam = "input augmentation"; input = part }
            else if registry.objectiveNames.contains(part) { seam = "objective"; objective = part }
            else {
                throw SeamChoiceError(message: "\"\(part)\" in \"\(text)\" names no method; positions: "
                    + registry.positionNames.joined(separator: ", ") + "; input: "
                    + registry.inputNames.filter { $0 != ModelConfiguration.noInput }.joined(separator: ", ")
                    + "; objectives: " + registry.objectiveNames.joined(separator: ", "))
            }
            if let earlier = named[seam] {
                throw SeamChoiceError(message: "\"\(text)\" names two \(seam)s: \(earlier) and \(part)")
            }
            named[seam] = part
        }
    }

    /// The canonical spelling: the choices that differ from BERT's, positions first
    /// (`bert-a` when none does).
    public var description: String {
        var parts = [positions]
        if input != ModelConfiguration.noInput { parts.append(input) }
        if objective != "mlm" { parts.append(objective) }
        if parts.count > 1 && positions == "bert-a" { parts.removeFirst() }
        return parts.joined(separator: "+")
    }

    /// How the chapters name it: `TUPE-R + TNF + MC-BERT`.
    public var displayName: String {
        let names = ["bert-a": "BERT-A", "bert-ad": "BERT-A^d", "bert-r": "BERT-R", "tupe-a": "TUPE-A", "tupe-r": "TUPE-R",
                     "notes": "TNF", "mlm": "BERT", "electra": "ELECTRA", "mc-bert": "MC-BERT"]
        func name(_ key: String) -> String { names[key] ?? key }
        var parts: [String] = []
        if positions != "bert-a" || objective == "mlm" { parts.append(name(positions)) }
        if input != ModelConfiguration.noInput { parts.append(name(input)) }
        if objective != "mlm" { parts.append(name(objective)) }
        return parts.joined(separator: " + ")
    }

    /// The configuration with this choice on each seam, sizes untouched. With notes, TNF's
    /// settings are written into the options (its defaults where the options name none), as
    /// `tenfold train --notes` does, so a checkpoint says which settings it ran with.
    public func applied(to configuration: ModelConfiguration) -> ModelConfiguration {
        var configuration = configuration
        configuration.positions = positions
        configuration.input = input
        configuration.objective = objective
        if input == NoteTaking.name { configuration.options.merge(NoteTaking.Settings().options) { given, _ in given } }
        return configuration
    }

    /// Whether the main model has a masked-LM head, so its validation MLM loss compares with BERT-A's.
    public var hasMaskedLMHead: Bool { objective == "mlm" }
}

/// A configuration string that names no valid seam choice.
public struct SeamChoiceError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }
}
