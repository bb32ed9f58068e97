import { course } from '../course';
import { db } from '../db';

export interface StudentRow {
	userId: number;
	email: string;
	name: string | null;
	status: string;
	allLessonsOpen: boolean;
	enrolledAt: number;
	done: number;
	lastViewedAt: number | null;
}

/** Enrolled students, newest first, with how many lessons each has finished; `query` filters by email or name. */
export function listStudents(query = '', limit = 100, offset = 0): StudentRow[] {
	const like = `%${query
		.trim()
		.toLowerCase()
		.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
	const rows = db()
		.$client.prepare(
			`select u.id as userId, u.email, u.name, e.status, e.all_lessons_open as allLessonsOpen, e.enrolled_at as enrolledAt,
			        (select count(*) from progress p where p.user_id = u.id and p.completed_at is not null) as done,
			        (select max(p.last_viewed_at) from progress p where p.user_id = u.id) as lastViewedAt
			   from enrolments e join users u on u.id = e.user_id
			  where u.email like ? escape '\\' or lower(coalesce(u.name, '')) like ? escape '\\'
			  order by e.enrolled_at desc limit ? offset ?`
		)
		.all(like, like, limit, offset) as (Omit<StudentRow, 'allLessonsOpen'> & { allLessonsOpen: number })[];
	return rows.map((r) => ({ ...r, allLessonsOpen: r.allLessonsOpen === 1 }));
}

export function lessonCount(): number {
	return course().lessons.length;
}

/** Opens (or closes again) every lesson for one student, whatever the drip schedule says. */
export function setAllLessonsOpen(userId: number, open: boolean): boolean {
	const result = db()
		.$client.prepare('update enrolments set all_lessons_open = ?, updated_at = ? where user_id = ?')
		.run(open ? 1 : 0, Date.now(), userId);
	return result.changes === 1;
}
