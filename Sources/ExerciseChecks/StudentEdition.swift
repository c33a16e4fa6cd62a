import Foundation

/// The student edition: a copy of the instructor's repository without the reference solutions,
/// for a class to clone (or for GitHub Classroom's template repository).
///
///     tenfold exercises student-edition ~/tenfold-class        # make student-edition DEST=~/tenfold-class
///
/// It holds every file git sees in the repository (tracked, or untracked and not ignored), except
/// `Exercises/Solutions/` and the instructor's `Tests/ExerciseTests/` (they check the solutions);
/// the stubs in `Exercises/` freshly generated from the solutions (so an instructor's own answers in
/// `Exercises/` never leak); the learner's XCTest target (`LearnerTests`, one test per exercise);
/// and the autograding workflow in `.github/workflows/classroom.yml` (`ClassroomWorkflow`).
/// `Package.swift` adapts by itself: without `Exercises/Solutions` it declares neither the solutions
/// nor their tests, and with `Tests/LearnerExerciseTests` it declares the learner's target.
///
/// The edition is written into a hidden folder beside the destination and renamed into place at the
/// end, so it appears whole or not at all.
///
/// Introduced with the teaching kit.
public enum StudentEdition {
    /// The folders left out: the solutions and the tests that need them.
    public static let leftOut = [StubGenerator.solutionsPath + "/", "Tests/ExerciseTests/"]

    /// Writes the edition of the repository at `root` into `destination` (which must not exist or be
    /// empty) and returns the paths it holds, sorted.
    @discardableResult
    public static func write(from root: URL, to destination: URL) throws -> [String] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: root.appendingPathComponent(StubGenerator.solutionsPath).path) else {
            throw StudentEditionError(message: "\(root.path) has no \(StubGenerator.solutionsPath): a student edition is made "
                                      + "from the instructor's repository, not from a student edition")
        }
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: destination.path, isDirectory: &isFolder) {
            let contents = (try? manager.contentsOfDirectory(atPath: destination.path)) ?? []
            guard isFolder.boolValue, contents.isEmpty else {
                throw StudentEditionError(message: "\(destination.path) already exists and is not an empty folder; choose a new one")
            }
        }
        let stubs = try StubGenerator.generate(root: root)
        let stubPrefix = StubGenerator.stubsPath + "/"
        let copied = try gitFiles(root).filter { path in
            let isStub = path.hasPrefix(stubPrefix) && stubs[String(path.dropFirst(stubPrefix.count))] != nil
            return !isStub && !leftOut.contains { path.hasPrefix($0) } && manager.fileExists(atPath: root.appendingPathComponent(path).path)
        }
        var generated: [String: String] = [LearnerTests.path: LearnerTests.source(for: .repository),
                                           ClassroomWorkflow.workflowPath: ClassroomWorkflow.yaml]
        for (path, text) in stubs { generated[stubPrefix + path] = text }

        let staging = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        do {
            for path in copied {
                let target = staging.appendingPathComponent(path)
                try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try manager.copyItem(at: root.appendingPathComponent(path), to: target)   // keeps the mode: scripts stay executable
            }
            for (path, text) in generated {
                let target = staging.appendingPathComponent(path)
                try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: target)
            }
            if manager.fileExists(atPath: destination.path) { try manager.removeItem(at: destination) }   // empty, checked above
            try manager.moveItem(at: staging, to: destination)
        } catch {
            try? manager.removeItem(at: staging)
            throw StudentEditionError(message: "cannot write the student edition to \(destination.path): \(error.localizedDescription)")
        }
        return (copied + generated.keys).sorted()
    }

    /// Every file git sees under `root`: tracked, or untracked and not ignored.
    static func gitFiles(_ root: URL) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root.path, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw StudentEditionError(message: "cannot run git to list the repository's files: \(error.localizedDescription)")
        }
        let data = (try? output.fileHandleForReading.readToEnd()) ?? Data()
        let message = String(decoding: (try? errors.fileHandleForReading.readToEnd()) ?? Data(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw StudentEditionError(message: "git cannot list the files of \(root.path) (is it a clone of Tenfold?): "
                                      + message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return Array(Set(String(decoding: data, as: UTF8.self).split(separator: "\0").map(String.init))).sorted()
    }
}

/// A student edition that cannot be written, in one sentence.
public struct StudentEditionError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
