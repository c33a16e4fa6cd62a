import ExerciseChecks

/// Your implementations of the exercises: one `extension Implementation` per exercise, in the
/// chapter folders. `make exercise N=1.1` runs the checks of exercise 1.1 against it.
public enum Implementation: ExerciseSet {}
