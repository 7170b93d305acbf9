import { useTranslation } from 'react-i18next';

/** "Carregar mais": the next keyset page of a list (the API's nextCursor). */
export function LoadMore({
  list,
  small,
}: {
  list: { loadingMore: boolean; more(): unknown };
  small?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={small ? 'button small' : 'button'}
      onClick={() => void list.more()}
      disabled={list.loadingMore}
    >
      {list.loadingMore ? t('actions.loading') : t('actions.more')}
    </button>
  );
}
