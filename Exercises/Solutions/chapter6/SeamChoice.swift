import Foundation
import Transformer
import BertBaseline
import ExerciseChecks

extension Implementation {
    /// Exercise 6.3 — the seam choices a configuration string names (chapter 6, all three together;
    /// Sources/README.md#the-three-seams; the methods behind the names in Docs/Methods/TUPE.md,
    /// Docs/Methods/TNF.md and Docs/Methods/ELECTRA-MC-BERT.md). A string such as
    /// `"tupe-r+notes+mc-bert"` chooses the positions, the input and the objective of a
    /// `ModelConfiguration` by their registered names. The rules:
    ///
    ///     parts        the text, lowercased, split at every "+"; each part trimmed of whitespace
    ///     a part       a registered name of exactly one seam: it chooses that seam
    ///     not named    a seam keeps ModelConfiguration's default: bert-a, none, mlm
    ///     an error     an empty part, a name no seam has, a name two seams have, or two names
    ///                  for one seam
    ///
    /// An error is thrown (the engine's `ConfigurationError(message:)` is made for it), and its
    /// message names what is wrong, for instance:
    ///
    ///     "tupe-a+tupe-r" names two position schemes: tupe-a and tupe-r
    ///     "tupe-x" is not a position scheme, an input or an objective
    ///     "tupe-r++notes" has an empty part
    ///
    /// - Parameters:
    ///   - text: the configuration string.
    ///   - positions, inputs, objectives: each seam's registered names (`"none"` is not among the
    ///     inputs: it is what a string that names no input gets).
    /// - Returns: the name chosen on each seam.
    public static func seamChoice(parsing text: String, positions: [String], inputs: [String],
                                  objectives: [String]) throws -> (positions: String, input: String, objective: String) {
        // BEGIN SOLUTION 6.3
        let seams: [(kind: String, names: [String])] = [("position scheme", positions), ("input", inputs),
                                                        ("objective", objectives)]
        var chosen: [String?] = [nil, nil, nil]
        for part in text.lowercased().split(separator: "+", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { throw ConfigurationError(message: "\"\(text)\" has an empty part") }
            let owners = seams.indices.filter { seams[$0].names.contains(name) }
            guard let seam = owners.first else {
                throw ConfigurationError(message: "\"\(name)\" is not a position scheme, an input or an objective")
            }
            guard owners.count == 1 else {
                throw ConfigurationError(message: "\"\(name)\" is registered on two seams: "
                                         + owners.map { seams[$0].kind }.joined(separator: " and "))
            }
            if let earlier = chosen[seam] {
                throw ConfigurationError(message: "\"\(text)\" names two \(seams[seam].kind)s: \(earlier) and \(name)")
            }
            chosen[seam] = name
        }
        return (chosen[0] ?? AbsolutePositions.name, chosen[1] ?? ModelConfiguration.noInput,
                chosen[2] ?? MaskedLanguageModeling.name)
        // END SOLUTION
    }
}
