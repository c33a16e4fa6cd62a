import Foundation

/// A copy of the exercises outside the repository, so `git pull` never meets a learner's answers.
///
///     tenfold exercises copy ~/tenfold-exercises
///     cd ~/tenfold-exercises && swift run check 1.1          # also --hint 1.1 [--level 2], --progress
///
/// The copy is a small SwiftPM package that depends on Tenfold by path (the `TenfoldExercises`
/// library: the checks and the engine modules the exercises import). SwiftPM accepts the
/// engine's `-O` unsafe flags from a *local* path dependency; the first `swift run check`
/// builds Tenfold once more in the copy's own `.build` (a few minutes). Its stubs live in
/// `Sources/MyExercises/` (a module name of its own: target names must be unique across the
/// package graph, and Tenfold already has `Exercises`), and its XCTest target `LearnerExerciseTests`
/// (`LearnerTests`) has one test per exercise.
public enum LearnerCopy {
    /// The copy's exercises folder, as its `check` tool names it.
    public static let exercisesFolder = "Sources/MyExercises"

    /// The header of the copy's stubs: the copy's own commands in place of the repository's.
    public static let stubHeader = StubGenerator.header(.learnerCopy, readme: "this package's README.md")

    /// Every file of the copy: path → contents. `stubs` maps paths under `Exercises/` to text.
    public static func files(tenfoldRoot: URL, stubs: [String: String]) -> [String: String] {
        var files: [String: String] = [:]
        for (path, text) in stubs { files["\(exercisesFolder)/\(path)"] = text }
        let package = quoted(tenfoldRoot.standardizedFileURL.lastPathComponent)   // a path dependency's identity
        files["Package.swift"] = """
            // swift-tools-version: 6.0
            // Tenfold's exercises, outside its repository. Written by `tenfold exercises copy`.
            import PackageDescription

            let package = Package(
                name: "TenfoldExercisesCopy",
                platforms: [.macOS(.v13)],
                dependencies: [.package(path: \(quoted(tenfoldRoot.standardizedFileURL.path)))],
                targets: [
                    .target(name: "MyExercises", dependencies: [.product(name: "TenfoldExercises", package: \(package))]),
                    .executableTarget(name: "check", dependencies: [
                        "MyExercises", .product(name: "TenfoldExercises", package: \(package)),
                    ]),
                    // One XCTest per exercise, red until it passes its checks.
                    .testTarget(name: "\(LearnerTests.target)", dependencies: [
                        "MyExercises", .product(name: "TenfoldExercises", package: \(package)),
                    ]),
                ],
                swiftLanguageModes: [.v5]
            )

            """
        files["Sources/check/main.swift"] = """
            // `swift run check 1.1`, `swift run check --hint 1.1 [--level 2]`, `swift run check --progress`.
            import Foundation
            import ExerciseChecks
            import MyExercises

            exit(ExerciseCommandLine.main(Array(CommandLine.arguments.dropFirst()), implementation: Implementation.self,
                                          exercisesFolder: \(quoted(exercisesFolder))))

            """
        files["README.md"] = """
            # Tenfold exercises (your copy)

            Edit the files under `\(exercisesFolder)/`, then:

                swift run check 1.1                    # one exercise: a diagnosis of what disagrees
                swift run check --hint 1.1             # stuck? a nudge: what to think about
                swift run check --hint 1.1 --level 2   # still stuck? the derivation, step by step
                swift run check --progress             # every exercise: solved, not implemented, failing

            The hints print only when you ask: try the nudge before the derivation.

            The same checks run as XCTest, one test per exercise, each failing with the diagnosis
            until the exercise is solved, so Xcode's and VS Code's test navigators show them red or green:

                swift test --filter \(LearnerTests.target)    # every exercise
                swift test --filter Exercise1_1                 # one

            The checks come from Tenfold at `\(tenfoldRoot.standardizedFileURL.path)`: `git pull` there
            brings new checks without touching your answers here. The first `swift run check`
            builds Tenfold in this folder's `.build` (a few minutes).

            """
        files[LearnerTests.path] = LearnerTests.source(for: .learnerCopy)
        files[".gitignore"] = ".build/\n.swiftpm/\nPackage.resolved\n"
        return files
    }

    /// Writes the copy into `directory`, which must not exist or be empty (it never overwrites
    /// answers). The stubs copied are the repository's current `Exercises/` files.
    public static func write(to directory: URL, tenfoldRoot: URL) throws -> [String] {
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: directory.path), !existing.isEmpty {
            throw LearnerCopyError(message: "\(directory.path) is not empty; choose a new folder (your answers there are left alone)")
        }
        let exercises = tenfoldRoot.appendingPathComponent(StubGenerator.stubsPath)
        var stubs: [String: String] = [:]
        for path in try StubGenerator.swiftFiles(under: exercises) where !path.hasPrefix("Solutions/") {
            stubs[path] = try String(contentsOf: exercises.appendingPathComponent(path), encoding: .utf8)
                .replacingOccurrences(of: StubGenerator.header(), with: stubHeader)
        }
        guard !stubs.isEmpty else {
            throw LearnerCopyError(message: "no exercises under \(exercises.path); run this from Tenfold's repository root")
        }
        let files = files(tenfoldRoot: tenfoldRoot, stubs: stubs)
        for (path, text) in files {
            let url = directory.appendingPathComponent(path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return files.keys.sorted()
    }

    private static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// A copy that cannot be written where asked.
public struct LearnerCopyError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
