/**
 * What a signed-in reader's lesson page and `/course` are rendered from, beyond the course itself: the access
 * check and the few personal bits (done or not, the lessons' states, the guide's date). The pages are pure
 * functions of this state, so a rendering is kept per state (rendered-pages.ts) and a request does only the
 * session, this lookup and, for a lesson, recording the view.
 */
import { ebookAccess, lessonAccess, studentStatus, type LessonAccess } from './access';
import type { SessionUser } from './auth/user';
import { certificateIdOf } from './certificate';
import { type Lesson } from './course';
import { formatOpensOn } from './drip';
import { isOfflineReader } from './offline';
import { courseOverview, recordView, type CourseOverview } from './progress';

export interface LessonState {
	access: LessonAccess;
	/** The reader has marked the lesson done (only ever true for a student who may read it). */
	done: boolean;
}

/** The access check and, for a student who may read the lesson, the view recorded: the progress as it stood. */
export function lessonState(user: SessionUser | null, lesson: Lesson): LessonState {
	const access = lessonAccess(user, lesson);
	const progress = access.kind === 'read' && access.student && user ? recordView(user.id, lesson.slug) : undefined;
	return { access, done: progress?.completedAt != null };
}

export type CourseHome = Omit<CourseOverview, 'lessons'> & {
	lessons: (Omit<CourseOverview['lessons'][number], 'opensAt'> & { opensOn: string | null })[];
	certificateId: string | null;
	/** Whether the guide can be downloaded yet, and from which day when not. */
	ebook: { ready: boolean; opensOn: string | null };
};

export type CourseState = { kind: 'none' } | { kind: 'ended' } | { kind: 'active'; home: CourseHome };

/** Everything `/course` shows a signed-in reader, or why it shows nothing. */
export function courseState(user: SessionUser): CourseState {
	const status = studentStatus(user);
	if (status.kind !== 'active') return status;
	const overview = courseOverview(user.id, status.enrolment);
	const ebook = ebookAccess(user);
	return {
		kind: 'active',
		home: {
			...overview,
			lessons: overview.lessons.map(({ opensAt, ...lesson }) => ({
				...lesson,
				opensOn: opensAt === null ? null : formatOpensOn(opensAt)
			})),
			certificateId: certificateIdOf(user.id),
			ebook: { ready: ebook.kind === 'ready', opensOn: ebook.kind === 'opens' ? formatOpensOn(ebook.opensAt) : null }
		}
	};
}

/** What the layout shows that differs between signed-in readers. */
function layoutKey(user: SessionUser): string {
	return `admin=${user.isAdmin} offline=${isOfflineReader(user)}`;
}

/**
 * The key a lesson page is kept under: everything it is rendered from besides the lesson and the course.
 * Null for answers that are not kept (a sign-in, a buy or an ended page).
 */
export function lessonPageKey(user: SessionUser, lesson: Lesson, state: LessonState): string | null {
	const { access, done } = state;
	const personal =
		access.kind === 'read'
			? `read student=${access.student} done=${done}`
			: access.kind === 'opens'
				? `opens ${formatOpensOn(access.opensAt)}`
				: null;
	return personal === null ? null : `lesson ${lesson.slug} ${personal} ${layoutKey(user)}`;
}

/** The key `/course` is kept under: the whole of what it shows, which is small. */
export function coursePageKey(user: SessionUser, state: CourseState): string | null {
	return state.kind === 'active' ? `course ${JSON.stringify(state.home)} ${layoutKey(user)}` : null;
}
