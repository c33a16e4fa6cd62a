import ArgumentParser
// Placeholder until the Text pipeline lands (issue 3).
struct Tokenize: ParsableCommand {}
