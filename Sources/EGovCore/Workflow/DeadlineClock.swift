import Foundation

/// The deadline of a case in working time: set on valid reception, paused while the applicant
/// must act (the time does not count against the agency, Decree 118/2025), resumed with what was left.
public struct DeadlineClock: Codable, Sendable, Hashable {
    public private(set) var startedAt: Date?
    public private(set) var dueAt: Date?
    public private(set) var pausedAt: Date?
    /// Working seconds left when the clock was paused.
    public private(set) var remainingWhenPaused: TimeInterval?
    public private(set) var stoppedAt: Date?
    public private(set) var finishedLate: Bool?
    /// Every pause, for the tracking slip and the statistics.
    public private(set) var pauses: [Pause] = []

    public struct Pause: Codable, Sendable, Hashable {
        public let from: Date
        public var to: Date?
    }

    public init() {}

    public var isRunning: Bool { startedAt != nil && pausedAt == nil && stoppedAt == nil }
    /// Paused after the due date had passed: the case stays late while it waits (see `status`).
    public var isPausedLate: Bool { isPaused && (remainingWhenPaused ?? 0) < 0 }
    public var isPaused: Bool { pausedAt != nil && stoppedAt == nil }

    public mutating func start(at instant: Date, workingDays: Int, cutoffHour: Int?, calendar: WorkingDayCalendar) {
        guard startedAt == nil else { return }
        startedAt = instant
        dueAt = calendar.addingWorkingDays(workingDays, to: instant, cutoffHour: cutoffHour)
    }

    /// A deadline set by hand while the clock runs (a leader's deadline on an incoming document): it runs to `date`
    /// instead of the working days it started with.
    public mutating func setDue(_ date: Date) {
        guard isRunning else { return }
        dueAt = date
    }

    public mutating func pause(at instant: Date, calendar: WorkingDayCalendar) {
        guard isRunning, let dueAt else { return }
        pausedAt = instant
        remainingWhenPaused = calendar.workingSeconds(from: instant, to: dueAt)
        pauses.append(Pause(from: instant, to: nil))
    }

    public mutating func resume(at instant: Date, calendar: WorkingDayCalendar) {
        guard isPaused, let remaining = remainingWhenPaused else { return }
        // Already late when paused: it stays exactly as late as it was.
        dueAt = remaining > 0 ? calendar.addingWorkingTime(remaining, to: instant) : instant.addingTimeInterval(remaining)
        pausedAt = nil
        remainingWhenPaused = nil
        if !pauses.isEmpty { pauses[pauses.count - 1].to = instant }
    }

    public mutating func stop(at instant: Date) {
        guard stoppedAt == nil, let dueAt else { return }
        if let remaining = remainingWhenPaused {
            finishedLate = remaining < 0
            if !pauses.isEmpty { pauses[pauses.count - 1].to = instant }
        } else {
            finishedLate = instant > dueAt
        }
        stoppedAt = instant
        pausedAt = nil
        remainingWhenPaused = nil
    }

    public mutating func apply(_ effect: ClockEffect, at instant: Date, workingDays: Int, cutoffHour: Int?, calendar: WorkingDayCalendar) {
        switch effect {
        case .start: start(at: instant, workingDays: workingDays, cutoffHour: cutoffHour, calendar: calendar)
        case .pause: pause(at: instant, calendar: calendar)
        case .resume: resume(at: instant, calendar: calendar)
        case .stop: stop(at: instant)
        }
    }

    /// On time, at risk (less than one working day left), or late — now, or as it finished.
    public func status(at now: Date, calendar: WorkingDayCalendar) -> DeadlineStatus {
        guard let dueAt else { return .notStarted }
        if let finishedLate { return finishedLate ? .finishedLate : .finishedOnTime }
        if let remaining = remainingWhenPaused { return remaining < 0 ? .late : .paused }
        if now > dueAt { return .late }
        return calendar.workingSeconds(from: now, to: dueAt) < WorkingDayCalendar.secondsPerWorkingDay ? .atRisk : .onTime
    }
}

extension WorkingDayCalendar {
    /// A whole working day of working time, as the deadline arithmetic counts it.
    public static let secondsPerWorkingDay: TimeInterval = 86_400
}

public enum DeadlineStatus: String, Codable, Sendable {
    case notStarted = "not-started"
    case onTime = "on-time"
    case atRisk = "at-risk"
    case late
    case paused
    case finishedOnTime = "finished-on-time"
    case finishedLate = "finished-late"
}
