import Foundation

/// Derives the learner's stubs from the reference solutions (the single source; nbgrader's rule).
///
/// A solution file marks each exercise's body:
///
///     public static func softmaxRows(_ x: Tensor) throws -> Tensor {
///         // BEGIN SOLUTION 1.1
///         // STUB: subtract each row's maximum before exponentiating
///         …
///         // END SOLUTION
///     }
///
/// The stub keeps everything outside the markers verbatim, turns each `// STUB:` line into a
/// comment for the learner, and replaces the rest of the span with
/// `throw ExerciseError.notImplemented("1.1")` at the marker's indentation. Files without
/// markers (the `Implementation` declaration) are copied as they are. Every stub starts
/// with `header()`: that the file was generated and how the learner checks it, never where
/// its solution lives.
public enum StubGenerator {
    /// Where solutions and stubs live, relative to the repository root.
    public static let solutionsPath = "Exercises/Solutions", stubsPath = "Exercises"

    /// How every generated file starts (and how `generatedFiles` recognises one).
    static let generatedMarker = "// GENERATED "

    /// The first lines of every stub, for the commands where the stub is edited: the repository's
    /// (`make exercise N=<id>`) or a learner copy's (`LearnerCopy` swaps one header for the other).
    public static func header(_ commands: ExerciseCommandLine.Commands = .repository,
                              readme: String = "Exercises/README.md") -> String {
        [generatedMarker + "exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`",
         "// with your code, then check it with `\(commands.check("<id>"))`.",
         "// Stuck? `\(commands.hint("<id>", 1))` prints a nudge, `\(commands.hint("<id>", 2))` the derivation.",
         "// \(readme.prefix(1).uppercased() + readme.dropFirst()) explains the workflow."].joined(separator: "\n")
    }

    /// The stub of one solution file, `path` being its path under `Exercises/Solutions/` (named
    /// only in errors, never in the stub).
    public static func stub(fromSolution text: String, path: String) throws -> String {
        var output = [header()]
        var open: (id: String, line: Int)? = nil
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let indentation = String(line.prefix { $0 == " " })
            if trimmed.hasPrefix("// BEGIN SOLUTION") {
                guard open == nil else { throw StubError(path: path, line: number + 1, problem: "BEGIN SOLUTION inside another") }
                let id = trimmed.dropFirst("// BEGIN SOLUTION".count).trimmingCharacters(in: .whitespaces)
                guard ExerciseCatalog.exercise(id) != nil else {
                    throw StubError(path: path, line: number + 1, problem: "BEGIN SOLUTION names no known exercise ('\(id)')")
                }
                open = (id, number + 1)
            } else if trimmed == "// END SOLUTION" {
                guard let (id, _) = open else { throw StubError(path: path, line: number + 1, problem: "END SOLUTION without BEGIN") }
                output.append(indentation + "throw ExerciseError.notImplemented(\"\(id)\")")
                open = nil
            } else if open != nil {
                if trimmed.hasPrefix("// STUB:") {
                    output.append(indentation + "// " + trimmed.dropFirst("// STUB:".count).trimmingCharacters(in: .whitespaces))
                }
            } else {
                output.append(line)
            }
        }
        if let (_, line) = open { throw StubError(path: path, line: line, problem: "BEGIN SOLUTION never ends") }
        return output.joined(separator: "\n")
    }

    /// Every stub, by path relative to `Exercises/`, generated from the solutions under `root`.
    public static func generate(root: URL) throws -> [String: String] {
        let solutions = root.appendingPathComponent(solutionsPath)
        var stubs: [String: String] = [:]
        for path in try swiftFiles(under: solutions) {
            let text = try String(contentsOf: solutions.appendingPathComponent(path), encoding: .utf8)
            stubs[path] = try stub(fromSolution: text, path: path)
        }
        guard !stubs.isEmpty else {
            throw StubError(path: solutionsPath, line: 0, problem: "no solutions found; run this from the root of Tenfold's repository (a student edition has none)")
        }
        return stubs
    }

    /// The committed stubs that differ from what the solutions generate, are missing, or have no
    /// solution any more. Empty when the stubs are up to date.
    public static func staleStubs(root: URL) throws -> [String] {
        let expected = try generate(root: root)
        let stubs = root.appendingPathComponent(stubsPath)
        var stale: [String] = []
        for (path, text) in expected.sorted(by: { $0.key < $1.key }) {
            let committed = try? String(contentsOf: stubs.appendingPathComponent(path), encoding: .utf8)
            if committed != text { stale.append("\(stubsPath)/\(path)") }
        }
        for path in try generatedFiles(root: root) where expected[path] == nil { stale.append("\(stubsPath)/\(path)") }
        return stale
    }

    /// Writes every stub and removes generated stubs whose solution is gone; returns the paths written.
    @discardableResult
    public static func write(root: URL) throws -> [String] {
        let expected = try generate(root: root)
        let stubs = root.appendingPathComponent(stubsPath)
        for path in try generatedFiles(root: root) where expected[path] == nil {
            try FileManager.default.removeItem(at: stubs.appendingPathComponent(path))
        }
        var written: [String] = []
        for (path, text) in expected.sorted(by: { $0.key < $1.key }) {
            let url = stubs.appendingPathComponent(path)
            if (try? String(contentsOf: url, encoding: .utf8)) == text { continue }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            written.append("\(stubsPath)/\(path)")
        }
        return written
    }

    /// Stub files (those with the generated header) under `Exercises/`, outside `Solutions/`.
    static func generatedFiles(root: URL) throws -> [String] {
        let stubs = root.appendingPathComponent(stubsPath)
        return try swiftFiles(under: stubs).filter { path in
            !path.hasPrefix("Solutions/")
                && ((try? String(contentsOf: stubs.appendingPathComponent(path), encoding: .utf8))?.hasPrefix(generatedMarker) ?? false)
        }
    }

    /// `.swift` files under `directory`, as sorted relative paths.
    static func swiftFiles(under directory: URL) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted()
    }
}

/// A solution file whose markers do not pair up.
public struct StubError: Error, CustomStringConvertible {
    public let path: String, line: Int, problem: String
    public var description: String { "\(StubGenerator.solutionsPath)/\(path):\(line): \(problem)" }
}
