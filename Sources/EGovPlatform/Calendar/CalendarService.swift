import EGovCore
import Fluent
import Foundation
import NIOConcurrencyHelpers

/// The installation's working-day calendar (statutory rules plus the pack's holidays and swapped
/// days), built once and kept: its year tables are computed on first use, so rebuilding it per
/// request would redo that work. Reloaded after a pack import here, and every minute, so a pack
/// imported on another node is seen here soon after.
public final class CalendarService: Sendable {
    private struct Cached {
        let calendar: WorkingDayCalendar
        let settings: CalendarSettings
        let loadedAt: Date
    }

    private let cached = NIOLockedValueBox<Cached?>(nil)
    private let maxAge: TimeInterval

    public init(maxAge: TimeInterval = 60) { self.maxAge = maxAge }

    public func calendar(on db: any Database, now: Date = Date()) async throws -> WorkingDayCalendar {
        if let current = cached.withLockedValue({ $0 }), abs(now.timeIntervalSince(current.loadedAt)) < maxAge {
            return current.calendar
        }
        let settings = try await SettingsStore.get(CalendarSettings.self, for: .calendar, on: db) ?? CalendarSettings()
        return cached.withLockedValue { value in
            // Same settings as before: keep the calendar whose year tables are already computed.
            if let previous = value, previous.settings == settings {
                let calendar = previous.calendar
                value = Cached(calendar: calendar, settings: settings, loadedAt: now)
                return calendar
            }
            let calendar = settings.workingDayCalendar
            value = Cached(calendar: calendar, settings: settings, loadedAt: now)
            return calendar
        }
    }

    /// Forget the cached calendar (after a pack import changed the holidays).
    public func invalidate() { cached.withLockedValue { $0 = nil } }
}
