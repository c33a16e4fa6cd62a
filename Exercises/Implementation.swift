// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import ExerciseChecks

/// Your implementations of the exercises: one `extension Implementation` per exercise, in the
/// chapter folders. `make exercise N=1.1` runs the checks of exercise 1.1 against it.
public enum Implementation: ExerciseSet {}
