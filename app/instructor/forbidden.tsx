import Link from 'next/link';

import styles from '@/app/_components/instructor/instructor.module.css';

export default function InstructorForbidden() {
  return (
    <div className={styles.narrow}>
      <h1>Not available</h1>
      <p>
        This page is for the instructor who owns the class. If you teach this class, sign in with your instructor
        account.
      </p>
      <p>
        <Link href="/instructor/login">Instructor sign-in</Link> · <Link href="/">Back to the lessons</Link>
      </p>
    </div>
  );
}
