import Foundation

/// Every exercise's checks, run once, as `tenfold progress` reports them: the learner's table,
/// JSON for scripts, or JUnit XML for CI systems and GitHub Classroom.
///
///     let report = ProgressReport.run(Implementation.self)
///     report.solved              // 3
///     print(report.json())       // {"exercises": [{"id": "1.1", "status": "solved", …}], "solved": 3, "total": 21}
///     try report.junit().write(…) // <testsuites …><testsuite name="chapter 1" …><testcase name="1.1 …">
///
/// Introduced with the teaching kit.
public struct ProgressReport: Sendable {
    public struct Entry: Sendable {
        public var id: String
        public var chapter: Int
        public var title: String
        /// The file the learner edits, relative to `Exercises/`.
        public var file: String
        public var result: CheckResult
        /// How long the checks took.
        public var seconds: Double
    }

    public var entries: [Entry]
    /// Where the learner's files are, as the report names them (`Exercises`, `Sources/MyExercises`).
    public var exercisesFolder: String

    /// Runs every exercise's checks against `implementation`, in book order.
    public static func run(_ implementation: ExerciseSet.Type, exercisesFolder: String = "Exercises") -> ProgressReport {
        let entries = ExerciseCatalog.all.map { exercise -> Entry in
            let start = Date()
            let result = exercise.check(implementation)
            return Entry(id: exercise.id, chapter: exercise.chapter, title: exercise.title, file: exercise.file,
                         result: result, seconds: Date().timeIntervalSince(start))
        }
        return ProgressReport(entries: entries, exercisesFolder: exercisesFolder)
    }

    public var solved: Int { entries.filter(\.result.passed).count }
    public var allSolved: Bool { solved == entries.count }

    /// One object: `solved`, `total`, and per exercise its id, chapter, title, file, status
    /// ("solved", "not implemented", "failing"), whether it is solved, the checks that passed,
    /// the diagnosis and the seconds the checks took. Keys sorted, so the same results give
    /// the same text.
    public func json() -> String {
        struct Exercise: Encodable {
            var id: String, chapter: Int, title: String, file: String, status: String, solved: Bool
            var passedChecks: [String], diagnosis: [String], seconds: Double
        }
        struct Document: Encodable {
            var solved: Int, total: Int, exercises: [Exercise]
        }
        let document = Document(solved: solved, total: entries.count, exercises: entries.map {
            Exercise(id: $0.id, chapter: $0.chapter, title: $0.title, file: exercisesFolder + "/" + $0.file,
                     status: $0.result.status.rawValue, solved: $0.result.passed, passedChecks: $0.result.passedChecks,
                     diagnosis: $0.result.diagnosis, seconds: (($0.seconds * 1000).rounded()) / 1000)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        return String(decoding: try! encoder.encode(document), as: UTF8.self)
    }

    /// JUnit XML as CI systems read it (Jenkins' junit-10 schema): one `testsuite` per chapter,
    /// one `testcase` per exercise (name "1.1 <title>", classname `tenfold.exercises.chapterN`),
    /// and for an unsolved one a `failure` whose type is the status ("not implemented",
    /// "failing"), whose message is the diagnosis's first line and whose text is what
    /// `tenfold check` prints.
    public func junit() -> String {
        func seconds(_ s: Double) -> String { String(format: "%.3f", s) }
        var xml = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        let failures = entries.count - solved
        xml.append("<testsuites name=\"Tenfold exercises\" tests=\"\(entries.count)\" failures=\"\(failures)\" errors=\"0\" "
                   + "time=\"\(seconds(entries.map(\.seconds).reduce(0, +)))\">")
        for chapter in Array(Set(entries.map(\.chapter))).sorted() {
            let cases = entries.filter { $0.chapter == chapter }
            xml.append("  <testsuite name=\"chapter \(chapter)\" tests=\"\(cases.count)\" "
                       + "failures=\"\(cases.filter { !$0.result.passed }.count)\" errors=\"0\" skipped=\"0\" "
                       + "time=\"\(seconds(cases.map(\.seconds).reduce(0, +)))\">")
            for entry in cases {
                let open = "    <testcase classname=\"tenfold.exercises.chapter\(chapter)\" "
                    + "name=\"\(Self.escape(entry.id + " " + entry.title))\" time=\"\(seconds(entry.seconds))\""
                guard !entry.result.passed else {
                    xml.append(open + "/>")
                    continue
                }
                let message = entry.result.diagnosis.first?.split(separator: "\n").first.map(String.init) ?? entry.result.status.rawValue
                let text = "\(exercisesFolder)/\(entry.file)\n" + entry.result.report
                xml.append(open + ">")
                xml.append("      <failure type=\"\(entry.result.status.rawValue)\" message=\"\(Self.escape(message))\">"
                           + Self.escape(text) + "</failure>")
                xml.append("    </testcase>")
            }
            xml.append("  </testsuite>")
        }
        xml.append("</testsuites>")
        return xml.joined(separator: "\n") + "\n"
    }

    /// Text safe inside an XML attribute or element: the five special characters as entities,
    /// and the control characters XML 1.0 forbids (all below U+0020 but tab, newline and
    /// carriage return) left out.
    static func escape(_ text: String) -> String {
        let allowed = text.unicodeScalars.filter { $0.value >= 0x20 || "\t\n\r".unicodeScalars.contains($0) }
        return [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&apos;")]
            .reduce(String(String.UnicodeScalarView(allowed))) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }
}
