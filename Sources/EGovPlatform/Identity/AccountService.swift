import EGovCore
import Fluent
import Foundation

/// Creating accounts: officers by an administrator, applicants by themselves.
public struct AccountService: Sendable {
    let services: PlatformServices

    public init(services: PlatformServices) { self.services = services }

    public struct ApplicantRegistration: Sendable {
        public var fullName: String
        public var idNumber: String
        public var phone: String
        public var email: String
        public var password: String

        public init(fullName: String, idNumber: String, phone: String, email: String, password: String) {
            self.fullName = fullName
            self.idNumber = idNumber
            self.phone = phone
            self.email = email
            self.password = password
        }
    }

    public enum AccountError: Error, Sendable {
        case invalid([ValidationError])
        case taken(ValidationError)

        /// The broken rules, to show next to the form's fields.
        public var fieldErrors: [ValidationError] {
            switch self {
            case .invalid(let errors): errors
            case .taken(let error): [error]
            }
        }
    }

    /// Checks everything first and reports every broken rule at once.
    public func registerApplicant(_ form: ApplicantRegistration, clientAddress: String?, on db: any Database) async throws -> UserModel {
        var errors: [ValidationError] = []
        let fullName = form.fullName.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        if fullName.count < 2 {
            errors.append(ValidationError(field: "fullName", vi: "Vui lòng nhập họ và tên.", en: "Please enter your full name."))
        }
        let year = WorkingDayCalendar().civilDate(of: services.clock.now()).year
        var idNumber: PersonalIdNumber?
        do { idNumber = try PersonalIdNumber(form.idNumber, currentYear: year) } catch { errors.append(error) }
        var phone: String?
        do { phone = try ContactDetails.normalizedPhone(form.phone) } catch { errors.append(error) }
        var email: String?
        do { email = try ContactDetails.normalizedEmail(form.email) } catch { errors.append(error) }
        do { try ContactDetails.checkPassword(form.password) } catch { errors.append(error) }
        guard errors.isEmpty, let idNumber, let phone, let email else { throw AccountError.invalid(errors) }

        let idHash = services.personalData.lookupHash(idNumber.value)
        if try await UserModel.query(on: db).filter(\.$idNumberHash == idHash).first() != nil {
            throw AccountError.taken(ValidationError(field: "idNumber", vi: "Số định danh này đã được đăng ký tài khoản.",
                                                     en: "An account with this identification number already exists."))
        }
        if try await UserModel.query(on: db).filter(\.$email == email).first() != nil {
            throw AccountError.taken(ValidationError(field: "email", vi: "Địa chỉ thư điện tử này đã được dùng cho tài khoản khác.",
                                                     en: "This e-mail address is already used by another account."))
        }
        let user = UserModel(username: "cd-" + String(idHash.prefix(16)), fullName: fullName, kind: .applicant,
                             email: email, phone: phone, passwordHash: try await services.passwords.hash(form.password))
        user.idNumberHash = idHash
        user.idNumberSealed = try services.personalData.seal(idNumber.value)
        try await db.transaction { tx in
            try await user.create(on: tx)
            try await AuditLog.record(
                AuditEntry(actorID: user.id, actorName: user.username, action: "account.register", target: "user:\(user.username)",
                           clientAddress: clientAddress, summary: "applicant registered"),
                at: services.clock.now(), on: tx)
        }
        return user
    }

    public struct OfficerInput: Sendable {
        public var username: String
        public var fullName: String
        public var email: String?
        public var phone: String?
        public var unitCode: String
        public var positions: [Position]
        public var password: String?

        public init(username: String, fullName: String, email: String?, phone: String?, unitCode: String,
                    positions: [Position], password: String?) {
            self.username = username
            self.fullName = fullName
            self.email = email
            self.phone = phone
            self.unitCode = unitCode
            self.positions = positions
            self.password = password
        }
    }

    /// Creates an officer in a unit. The caller has already checked `users.manage` on that unit.
    /// Returns the account and the password to hand over (generated when none was given).
    public func createOfficer(_ input: OfficerInput, unit: UnitModel, actor: AuditEntry, on db: any Database) async throws -> (UserModel, String) {
        var errors: [ValidationError] = []
        let username = input.username.trimmingCharacters(in: .whitespaces).lowercased()
        do { try ContactDetails.checkUsername(username) } catch { errors.append(error) }
        if PackReader.reservedUsernames.contains(username) {
            errors.append(ValidationError(field: "username", vi: "Tên đăng nhập “\(username)” được dành riêng.", en: "Username “\(username)” is reserved."))
        }
        let fullName = input.fullName.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        if fullName.count < 2 {
            errors.append(ValidationError(field: "fullName", vi: "Vui lòng nhập họ và tên.", en: "Please enter the full name."))
        }
        var email: String?
        var phone: String?
        if let raw = input.email, !raw.isEmpty {
            do { email = try ContactDetails.normalizedEmail(raw) } catch { errors.append(error) }
        }
        if let raw = input.phone, !raw.isEmpty {
            do { phone = try ContactDetails.normalizedPhone(raw) } catch { errors.append(error) }
        }
        if input.positions.isEmpty {
            errors.append(ValidationError(field: "positions", vi: "Cần chọn ít nhất một chức vụ.", en: "Choose at least one position."))
        }
        let password = input.password ?? RandomPassword.make()
        do { try ContactDetails.checkPassword(password) } catch { errors.append(error) }
        guard errors.isEmpty else { throw AccountError.invalid(errors) }
        if try await UserModel.query(on: db).filter(\.$username == username).first() != nil {
            throw AccountError.taken(ValidationError(field: "username", vi: "Tên đăng nhập “\(username)” đã tồn tại.",
                                                     en: "Username “\(username)” already exists."))
        }
        if let email, try await UserModel.query(on: db).filter(\.$email == email).first() != nil {
            throw AccountError.taken(ValidationError(field: "email", vi: "Địa chỉ thư điện tử này đã được dùng cho tài khoản khác.",
                                                     en: "This e-mail address is already used by another account."))
        }
        let user = UserModel(username: username, fullName: fullName, kind: .officer, email: email, phone: phone,
                             passwordHash: try await services.passwords.hash(password))
        let unitID = try unit.requireID()
        try await db.transaction { tx in
            try await user.create(on: tx)
            for position in Set(input.positions) {
                try await UserPositionModel(userID: try user.requireID(), unitID: unitID, position: position).create(on: tx)
            }
            var entry = actor
            entry.action = "user.create"
            entry.target = "user:\(username)"
            entry.summary = "officer at \(unit.code): \(input.positions.map(\.rawValue).sorted().joined(separator: ","))"
            try await AuditLog.record(entry, at: services.clock.now(), on: tx)
        }
        return (user, password)
    }
}
