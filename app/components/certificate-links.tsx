import { Link } from "@remix-run/react";

/** Links to the course certificates a participant has earned. */
export function CertificateLinks({ certificates }: { certificates: { enrolmentId: number; programmeName: string; cohortName: string }[] }) {
  return (
    <ul>
      {certificates.map((c) => (
        <li key={c.enrolmentId}>
          <Link to={`/utbildningsbevis/${c.enrolmentId}`}>
            Utbildningsbevis: {c.programmeName}, {c.cohortName}
          </Link>
        </li>
      ))}
    </ul>
  );
}
