import Foundation

/// `tenfold watch`: rustlings' watch mode. Checks an exercise; while it fails, waits for any
/// exercise file to change and checks it again; once it passes, moves on to the next exercise,
/// until the last one passes.
///
///     let watcher = ExerciseWatcher(ids: ["1.1", "1.2"], folder: "Exercises",
///                                   snapshot: { ExerciseWatcher.snapshot(of: folder) },
///                                   check: { id in runs `swift run tenfold check <id>`, true when it exits 0 },
///                                   wait: { Thread.sleep(forTimeInterval: 0.5) })
///     watcher.run()
///
/// The check is a command, not a function call, because the learner's code is compiled into
/// the tool: each check must rebuild it. Changes are found by polling each file's size and
/// modification time (no file-system events, so it works alike on Linux and macOS); a change
/// made while a check runs is seen when it ends.
///
/// Introduced with the teaching kit.
public struct ExerciseWatcher {
    /// What the watched files look like: each file's path and its size and modification time.
    public typealias Snapshot = [String: [Double]]

    /// The exercises to go through, in order; the first is checked first.
    public var ids: [String]
    /// The folder named in the messages.
    public var folder: String
    public var snapshot: () -> Snapshot
    /// Runs one exercise's check and says whether it passed.
    public var check: (String) -> Bool
    /// Waits one polling interval.
    public var wait: () -> Void
    public var output: (String) -> Void

    public init(ids: [String], folder: String, snapshot: @escaping () -> Snapshot, check: @escaping (String) -> Bool,
                wait: @escaping () -> Void, output: @escaping (String) -> Void = { print($0) }) {
        (self.ids, self.folder, self.snapshot, self.check, self.wait, self.output) = (ids, folder, snapshot, check, wait, output)
    }

    /// The exercises from `id` (or from the first when nil) to the last, in book order.
    public static func ids(from id: String?) throws -> [String] {
        let all = ExerciseCatalog.all.map(\.id)
        guard let id else { return all }
        guard let start = all.firstIndex(of: id) else { throw UnknownExercise(id: id) }
        return Array(all[start...])
    }

    /// Returns once every exercise in `ids` has passed; the number of checks it ran.
    @discardableResult
    public func run() -> Int {
        var index = 0, checks = 0
        while index < ids.count {
            let id = ids[index]
            let before = snapshot()
            output("── checking exercise \(id) " + String(repeating: "─", count: 40))
            checks += 1
            if check(id) {
                index += 1
                if index < ids.count { output("exercise \(id) is solved; on to \(ids[index]).") }
                continue
            }
            output("watching \(folder)/ for changes to check \(id) again (Ctrl-C stops) …")
            while snapshot() == before { wait() }
        }
        output(ids.count == 1 ? "exercise \(ids[0]) is solved." : "every exercise from \(ids.first ?? "") to \(ids.last ?? "") is solved.")
        return checks
    }

    /// The size and modification time of every `.swift` file under `folder`, except under
    /// `Solutions/` (the instructor's reference solutions are not the learner's files).
    public static func snapshot(of folder: URL) -> Snapshot {
        var files: Snapshot = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return files }
        for case let path as String in enumerator where path.hasSuffix(".swift") && !path.hasPrefix("Solutions/") {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(path).path)
            else { continue }
            let size = (attributes[.size] as? NSNumber)?.doubleValue ?? -1
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            files[path] = [size, modified]
        }
        return files
    }
}
