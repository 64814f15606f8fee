//! Typed ids: a loan id cannot be passed where a device id is expected.
//!
//! Every record's id is a UUID stored as text. On the wire and in the database it stays a
//! plain string; inside the service each kind of record has its own type, so the compiler
//! refuses `cancel_loan(&device_id)`. Queries compare with `id.as_str()`.

/// Declares one id type: a transparent string on the wire, its own type in the code.
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[schema(value_type = String)]
        pub struct $name(String);

        impl $name {
            /// A fresh random id, for a record about to be inserted.
            pub fn generate() -> Self {
                Self(uuid::Uuid::new_v4().to_string())
            }

            /// The id as the database and the wire know it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Consumes the id, giving back its text.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

typed_id!(
    /// A device (laptop, tablet, robot, …).
    DeviceId
);
typed_id!(
    /// A donation batch.
    DonationId
);
typed_id!(
    /// An organisation: donor, workshop, welfare office, school, lending service.
    OrganisationId
);
typed_id!(
    /// A user account.
    UserId
);
typed_id!(
    /// A person who borrows devices.
    BorrowerId
);
typed_id!(
    /// A loan to a person.
    LoanId
);
typed_id!(
    /// A lending programme.
    ProgrammeId
);
typed_id!(
    /// A booking by a school or organisation.
    BookingId
);
typed_id!(
    /// A wipe record.
    WipeId
);
typed_id!(
    /// A refurbishment record.
    RefurbishmentId
);
typed_id!(
    /// A checkpoint of a loan.
    CheckpointId
);
typed_id!(
    /// An API token (its id, never its secret).
    TokenId
);
typed_id!(
    /// A charge of a loan (a non-return or a purchase).
    ChargeId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_strings_on_the_wire() {
        let id = LoanId::from("0b6f4a52-5f43-4c1e-9d1a-2d3f1c0e9a11");
        let json = serde_json::to_string(&id).unwrap_or_default();
        assert_eq!(json, "\"0b6f4a52-5f43-4c1e-9d1a-2d3f1c0e9a11\"");
        let back: Result<LoanId, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(id));
    }

    #[test]
    fn generated_ids_are_uuids_and_differ() {
        let a = DeviceId::generate();
        let b = DeviceId::generate();
        assert_ne!(a, b);
        assert!(uuid::Uuid::parse_str(a.as_str()).is_ok());
    }
}
