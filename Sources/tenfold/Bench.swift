import ArgumentParser
// Placeholder until the kernel benchmark lands (issue 2).
struct Bench: ParsableCommand {}
