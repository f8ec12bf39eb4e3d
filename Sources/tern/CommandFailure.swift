import ArgumentParser
import Foundation
import TernIO

/// Runs `body`, turning any thrown error into a one-line message on standard error and exit
/// code 1, so that users see what went wrong and what to do rather than a stack trace.
func reportingFailures<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error   // a usage error that needed the model to be found: reported as usage, status 64
    } catch {
        Diagnostics.printError("error: \(error.localizedDescription)")
        throw ExitCode.failure
    }
}
