/// The GitHub Classroom autograding workflow for Tenfold's exercises: one
/// `autograding-command-grader` step per exercise, running `tenfold check <id>` (exit status 0
/// scores the step's points), and the reporter that sends the total to GitHub Classroom.
///
/// Generated from the catalog, so a new exercise gets its step: `tenfold exercises classroom`
/// writes `Docs/classroom/classroom.yml` (the instructor's copy, tested to be current), and
/// `StudentEdition` writes it to the edition's `.github/workflows/classroom.yml`, where it runs.
///
/// Introduced with the teaching kit.
public enum ClassroomWorkflow {
    /// The instructor's copy, relative to the repository root.
    public static let path = "Docs/classroom/classroom.yml"
    /// Where GitHub runs it, in the student edition.
    public static let workflowPath = ".github/workflows/classroom.yml"
    /// Points per exercise.
    public static let points = 10
    /// The official Swift image the job runs in (Ubuntu 24.04, the Swift Tenfold is built with).
    public static let image = "swift:6.3-noble"

    /// The step id of an exercise: `exercise-1-1`.
    static func stepID(_ id: String) -> String { "exercise-" + id.replacingOccurrences(of: ".", with: "-") }

    /// The workflow's YAML.
    public static var yaml: String {
        let steps = ExerciseCatalog.all.map { exercise in
            """
                - name: Exercise \(exercise.id)
                  id: \(stepID(exercise.id))
                  uses: classroom-resources/autograding-command-grader@v1
                  with:
                    test-name: "\(exercise.id) \(exercise.title.replacingOccurrences(of: "\"", with: "'"))"
                    setup-command: ''
                    command: .build/debug/tenfold check \(exercise.id)
                    timeout: 5
                    max-score: \(points)
            """
        }
        let results = ExerciseCatalog.all.map {
            "        \(stepID($0.id).uppercased())_RESULTS: \"${{steps.\(stepID($0.id)).outputs.result}}\""
        }
        return """
            # GitHub Classroom autograding for Tenfold's exercises: one step per exercise runs
            # `tenfold check <id>`, and a passing check (exit status 0) scores its points.
            # GENERATED from the exercise catalog by `tenfold exercises classroom` (make exercise-stubs);
            # the student edition (make student-edition) carries it as .github/workflows/classroom.yml.
            # Docs/classroom/README.md says how to use it.
            name: Autograding Tests
            'on':
            - push
            - repository_dispatch
            - workflow_dispatch
            permissions:
              checks: write
              actions: read
              contents: read
            jobs:
              run-autograding-tests:
                runs-on: ubuntu-latest
                if: github.actor != 'github-classroom[bot]'
                container: \(image)
                steps:
                - name: Checkout code
                  uses: actions/checkout@v4
                - name: Build the exercises' checks (OpenBLAS and Graphviz first, as make setup does)
                  run: scripts/setup.sh && swift build --product tenfold
            \(steps.joined(separator: "\n"))
                - name: Autograding Reporter
                  uses: classroom-resources/autograding-grading-reporter@v1
                  env:
            \(results.joined(separator: "\n"))
                  with:
                    runners: \(ExerciseCatalog.all.map { stepID($0.id) }.joined(separator: ","))

            """
    }
}
